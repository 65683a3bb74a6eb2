import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import type {
  DestinationMetrics,
  ObjectReplicationStatus,
  ObjectStatusSummary,
  ReplicatedObject,
} from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { IDLE_POLL_MS } from '../../api/polling';
import {
  hasPending,
  REPLICATION_POLL_MS,
  useRetryFailedObjects,
  useRuleFailedObjects,
  useRuleMetrics,
  useRuleObjectSummary,
} from './api';
import { METRICS_RANGES, useMetricsRange } from './metricsRange';
import { FAILED_OBJECTS_ANCHOR } from './paths';
import { ReplicationCharts } from './ReplicationCharts';
import { formatBytes, formatSeconds } from './replicationFormat';

/** The search parameter paging the failed objects, apart from any other list's `cursor`. */
export const FAILURES_CURSOR_PARAM = 'failuresCursor';

interface ReplicationStatusProps {
  tenantId: string;
  ruleId: string;
  /** Whether the principal may retry failed objects (OPERATOR and ADMIN; the server checks again). */
  canOperate: boolean;
  /** The rule's replication-time threshold, drawn on the latency charts. */
  thresholdMinutes: number;
}

/** Replication figures of a rule: per-destination metrics, object counts, and the failed objects. */
export function ReplicationStatus({
  tenantId,
  ruleId,
  canOperate,
  thresholdMinutes,
}: ReplicationStatusProps) {
  const [range, setRange] = useMetricsRange();
  const metrics = useRuleMetrics(tenantId, ruleId, range);
  const pending = hasPending(metrics.data);
  const summary = useRuleObjectSummary(tenantId, ruleId, pending);
  const failures = useRuleFailedObjects(
    tenantId,
    ruleId,
    useCursorParam(FAILURES_CURSOR_PARAM),
    pending,
  );
  const retry = useRetryFailedObjects(tenantId, ruleId);
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={3}>Replication status</Title>
        <Group gap="xs">
          {metrics.isPlaceholderData && <Loader size="xs" aria-label="Loading" />}
          <UpdatedAgo updatedAt={metrics.dataUpdatedAt} what="Replication status" />
          <SegmentedControl
            size="xs"
            aria-label="Time range"
            value={range.value}
            onChange={setRange}
            data={METRICS_RANGES.map(({ value, label }) => ({ value, label }))}
          />
        </Group>
      </Group>
      <Text c="dimmed" size="sm">
        Figures for {range.window}, computed from durable records; pending versions and the latency
        now are as of now. Latency is the time from a version&apos;s write to the source bucket
        until its replica is written. The figures and the objects below refresh on their own: every{' '}
        {REPLICATION_POLL_MS / 1000} seconds while versions are pending, else every{' '}
        {IDLE_POLL_MS / 1000} seconds.
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

      <Title order={4}>Objects</Title>
      <Text c="dimmed" size="sm">
        Failed objects are not retried automatically (as in AWS). Fix the cause first (the reason
        tells what), then retry them; their failures stay in the metrics at the time they happened,
        and a retry that fails again counts again. SKIPPED versions were deliberately not copied:
        superseded (asked for by a batch job or a retry after a newer version of the key was
        replicated; a version found late by a scan or event is copied in its place instead),
        filtered out by the rule&apos;s tags, or no longer in the rule; the object listing says
        which and why.
      </Text>
      <ProblemAlert error={summary.error ?? retry.error} />
      {retry.data && (
        <Alert color="green" variant="light" data-testid="retry-queued">
          {queuedText(retry.data.queued)}
        </Alert>
      )}
      {summary.data && (
        <StatusSummary
          summary={summary.data}
          canOperate={canOperate}
          retrying={retry.isPending ? retry.variables : undefined}
          onRetry={(failureReason) => retry.mutate(failureReason)}
        />
      )}

      <Group justify="space-between" align="baseline">
        <FailedObjectsHeading loaded={failures.data !== undefined} />
        <UpdatedAgo updatedAt={failures.dataUpdatedAt} what="Failed objects" />
      </Group>
      <ProblemAlert error={failures.error} />
      <div data-testid="failed-objects">
        <DataTable
          columns={failureColumns}
          rows={failures.data?.items}
          rowKey={(row) => `${row.key}\u0000${row.versionId ?? ''}\u0000${row.destinationBucket}`}
          loading={failures.isPending}
          emptyText="No failed objects."
        />
      </div>
      <CursorPager nextCursor={failures.data?.nextCursor} param={FAILURES_CURSOR_PARAM} />
    </Stack>
  );
}

/** The failed objects' heading, scrolled to once they are loaded when the URL names its anchor. */
function FailedObjectsHeading({ loaded }: { loaded: boolean }) {
  const { hash } = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  const linkedTo = hash === `#${FAILED_OBJECTS_ANCHOR}`;
  useEffect(() => {
    if (linkedTo && loaded) {
      heading.current?.scrollIntoView({ block: 'start' });
    }
  }, [linkedTo, loaded]);
  return (
    <Title order={4} id={FAILED_OBJECTS_ANCHOR} ref={heading}>
      Failed objects
    </Title>
  );
}

function queuedText(queued: number): string {
  return `Queued ${queued} ${queued === 1 ? 'object' : 'objects'} again.`;
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

const failureColumns: Column<ReplicatedObject>[] = [
  { header: 'Key', cell: (row) => <Code>{row.key}</Code> },
  {
    header: 'Version',
    cell: (row) => (
      <>
        {row.versionId ?? '—'}
        {row.isDeleteMarker && (
          <Badge variant="light" color="gray" ml={4} size="sm">
            Delete marker
          </Badge>
        )}
      </>
    ),
  },
  { header: 'Destination', cell: (row) => row.destinationBucket },
  { header: 'Reason', cell: (row) => row.failureReason ?? '—' },
  { header: 'Last error', cell: (row) => row.lastError ?? '—' },
  { header: 'Attempts', cell: (row) => String(row.attempts) },
];

const STATUS_ORDER: ObjectReplicationStatus[] = [
  'COMPLETED',
  'PENDING',
  'FAILED',
  'REPLICA',
  'SKIPPED',
];
const STATUS_COLORS: Record<ObjectReplicationStatus, string> = {
  COMPLETED: 'green',
  PENDING: 'yellow',
  FAILED: 'red',
  REPLICA: 'gray',
  SKIPPED: 'gray',
};

interface StatusSummaryProps {
  summary: ObjectStatusSummary;
  canOperate: boolean;
  /** The retry under way: a reason, null for all failed, undefined for none. */
  retrying: string | null | undefined;
  onRetry: (failureReason: string | null) => void;
}

function StatusSummary({ summary, canOperate, retrying, onRetry }: StatusSummaryProps) {
  const reasons = Object.entries(summary.byFailureReason);
  const failed = summary.byStatus.FAILED ?? 0;
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
              loading={retrying === reason}
              disabled={retrying !== undefined && retrying !== reason}
              onClick={() => onRetry(reason)}
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
            loading={retrying === null}
            disabled={failed === 0 || (retrying !== undefined && retrying !== null)}
            onClick={() => onRetry(null)}
          >
            Retry all failed
          </Button>
        </Group>
      )}
    </Stack>
  );
}
