import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { IDLE_POLL_MS } from '../../api/polling';
import type {
  DestinationMetrics,
  ObjectReplicationStatus,
  ObjectStatusSummary,
  RetryQueued,
} from '../../api/types';
import { type Column, DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import {
  hasPending,
  REPLICATION_POLL_MS,
  type RetrySelection,
  retryKey,
  useRetryFailedObjects,
  useRuleMetrics,
  useRuleObjectSummary,
} from './api';
import { CUSTOM_RANGE, MAX_RANGE_DAYS, useMetricsRange } from './metricsRange';
import { CustomRangeForm, TimeRangeControl } from './MetricsRangeFields';
import { ReplicationCharts } from './ReplicationCharts';
import { formatBytes, formatSeconds } from './replicationFormat';
import { RuleObjects, STATUS_COLORS } from './RuleObjects';

interface ReplicationStatusProps {
  tenantId: string;
  ruleId: string;
  /** The rule's destination buckets. */
  destinations: string[];
  /** Whether the principal may retry failed objects (OPERATOR and ADMIN; the server checks again). */
  canOperate: boolean;
  /** The rule's replication-time threshold, drawn on the latency charts. */
  thresholdMinutes: number;
}

/** Replication figures of a rule: per-destination metrics, object counts, and its objects by status. */
export function ReplicationStatus({
  tenantId,
  ruleId,
  destinations,
  canOperate,
  thresholdMinutes,
}: ReplicationStatusProps) {
  const { range, invalid, choosePreset, applyCustom } = useMetricsRange();
  // "Custom range…" opens the fields; the figures change once a range is applied.
  const [customChosen, setCustomChosen] = useState(false);
  const customShown = customChosen || range.value === CUSTOM_RANGE || invalid !== null;
  const chooseRange = (value: string) => {
    setCustomChosen(value === CUSTOM_RANGE);
    if (value !== CUSTOM_RANGE) {
      choosePreset(value);
    }
  };
  const metrics = useRuleMetrics(tenantId, ruleId, range);
  const pending = hasPending(metrics.data);
  const summary = useRuleObjectSummary(tenantId, ruleId, pending);
  const retry = useRetryFailedObjects(tenantId, ruleId);
  const retrying = retry.isPending ? retry.variables : undefined;
  const onRetry = (selection: RetrySelection) => retry.mutate(selection);
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h3">
          Replication status
        </Title>
        <Group gap="xs">
          {metrics.isPlaceholderData && <Loader size="xs" aria-label="Loading" />}
          <UpdatedAgo updatedAt={metrics.dataUpdatedAt} what="Replication status" />
          <TimeRangeControl
            value={customShown ? CUSTOM_RANGE : range.value}
            onChange={chooseRange}
          />
        </Group>
      </Group>
      {customShown && (
        <CustomRangeForm
          key={invalid ? `invalid:${invalid.from}/${invalid.to}` : range.window}
          range={range}
          invalidLink={invalid}
          onApply={applyCustom}
        />
      )}
      <Text c="dimmed" size="sm">
        Figures for {range.window}, computed from durable records; pending versions and the latency
        now are as of now. Latency is the time from a version&apos;s write to the source bucket
        until its replica is written. The figures and the objects below refresh on their own: every{' '}
        {REPLICATION_POLL_MS / 1000} seconds while versions are pending, else every{' '}
        {IDLE_POLL_MS / 1000} seconds. A preset range ends now and moves on with each refresh; a
        custom range (up to {MAX_RANGE_DAYS} days) is a fixed window, and only its pending versions
        and latency now change.
      </Text>
      <ProblemAlert error={metrics.error} />
      <div data-testid="rule-metrics">
        <DataTable
          columns={metricColumns}
          rows={metrics.data?.destinations}
          rowKey={(row) => row.bucket}
          loading={metrics.isPending}
          emptyText="No destinations."
        />
      </div>
      {metrics.data && (
        <ReplicationCharts metrics={metrics.data} thresholdMinutes={thresholdMinutes} />
      )}

      <Title order={3} size="h4">
        Objects
      </Title>
      <Text c="dimmed" size="sm">
        Pending versions are queued or being copied. One that meets a transient error (a timeout, a
        refused connection, throttling) is tried again on its own, with backoff (about 1 s, 2 s, 4 s
        … up to 5 minutes), and stays pending however often that happens: its attempts, last error
        and next attempt show how it goes, and the last error says what to fix; once it is fixed,
        &ldquo;Retry now&rdquo; tries the version at once instead of at its next attempt. Failed
        objects are not retried automatically (as in AWS). Fix the cause first (the reason tells
        what), then retry them: all, those of one reason, or one key (each of its failed versions,
        at every destination); their failures stay in the metrics at the time they happened, and a
        retry that fails again counts again. SKIPPED versions were deliberately not copied:
        superseded (asked for by a batch job or a retry after a newer version of the key was
        replicated; a version found late by a scan or event is copied in its place instead),
        filtered out by the rule&apos;s tags, or no longer in the rule; the object listing says
        which and why.
      </Text>
      <ProblemAlert error={summary.error ?? retry.error} />
      {retry.data && (
        <Alert color="green" variant="light" data-testid="retry-queued">
          {retriedText(retry.data)}
        </Alert>
      )}
      {summary.data && (
        <StatusSummary
          summary={summary.data}
          canOperate={canOperate}
          retrying={retrying}
          onRetry={onRetry}
        />
      )}
      <RuleObjects
        tenantId={tenantId}
        ruleId={ruleId}
        destinations={destinations}
        failureReasons={Object.keys(summary.data?.byFailureReason ?? {})}
        pending={pending}
        canOperate={canOperate}
        retrying={retrying}
        onRetry={onRetry}
      />
    </Stack>
  );
}

function retriedText({ queued, hurried }: RetryQueued): string {
  const objects = (count: number) => `${count} ${count === 1 ? 'object' : 'objects'}`;
  const requeued = `Queued ${objects(queued)} again.`;
  const now = `${objects(hurried)} waiting for a next attempt ${hurried === 1 ? 'is' : 'are'} tried now.`;
  if (hurried === 0) {
    return requeued;
  }
  return queued === 0 ? now : `${requeued} ${now}`;
}

/** A latency over `measured` versions, or a dash: the server answers 0 s where there were none. */
function latency(measured: number, seconds: number | null): string {
  return measured > 0 ? formatSeconds(seconds) : '—';
}

function countWithBytes(operations: number, bytes: number): string {
  return `${operations} (${formatBytes(bytes)})`;
}

const metricColumns: Column<DestinationMetrics>[] = [
  { header: 'Destination', cell: (row) => row.bucket },
  { header: 'Pending', cell: (row) => countWithBytes(row.operationsPending, row.bytesPending) },
  {
    header: 'Replicated',
    cell: (row) => countWithBytes(row.operationsReplicated, row.bytesReplicated),
  },
  { header: 'Failed', cell: (row) => String(row.operationsFailed) },
  {
    header: 'Latency now',
    cell: (row) => latency(row.operationsPending, row.replicationLatencySeconds),
  },
  { header: 'p50', cell: (row) => latency(row.operationsReplicated, row.latencyP50Seconds) },
  { header: 'p99', cell: (row) => latency(row.operationsReplicated, row.latencyP99Seconds) },
  {
    header: 'Missed threshold',
    cell: (row) =>
      row.operationsReplicatedAfterThreshold > 0
        ? `${row.operationsMissedThreshold} (${row.operationsReplicatedAfterThreshold} replicated late)`
        : String(row.operationsMissedThreshold),
  },
];

const STATUS_ORDER: ObjectReplicationStatus[] = [
  'COMPLETED',
  'PENDING',
  'FAILED',
  'REPLICA',
  'SKIPPED',
];
interface StatusSummaryProps {
  summary: ObjectStatusSummary;
  canOperate: boolean;
  /** The retry under way, if any. */
  retrying: RetrySelection | undefined;
  onRetry: (selection: RetrySelection) => void;
}

function StatusSummary({ summary, canOperate, retrying, onRetry }: StatusSummaryProps) {
  const reasons = Object.entries(summary.byFailureReason);
  const failed = summary.byStatus.FAILED ?? 0;
  const busy = retrying === undefined ? undefined : retryKey(retrying);
  const reasonKey = (failureReason: string) => retryKey({ failureReason });
  return (
    <Stack gap="xs" data-testid="object-summary">
      <Group gap="xs">
        {STATUS_ORDER.map((status) => (
          <Badge key={status} variant="light" color={STATUS_COLORS[status]}>
            {status}: {summary.byStatus[status] ?? 0}
          </Badge>
        ))}
      </Group>
      {reasons.map(([reason, count]) => (
        <Group key={reason} gap="sm" data-testid="failure-reason">
          <Text size="sm">
            {reason}: {count}
          </Text>
          {canOperate && (
            <Button
              size="xs"
              variant="default"
              loading={busy === reasonKey(reason)}
              disabled={busy !== undefined && busy !== reasonKey(reason)}
              onClick={() => onRetry({ failureReason: reason })}
            >
              Retry {reason}
            </Button>
          )}
        </Group>
      ))}
      {canOperate && (
        <Group>
          <Button
            size="xs"
            variant="light"
            loading={busy === retryKey(null)}
            disabled={failed === 0 || (busy !== undefined && busy !== retryKey(null))}
            onClick={() => onRetry(null)}
          >
            Retry all failed
          </Button>
        </Group>
      )}
    </Stack>
  );
}
