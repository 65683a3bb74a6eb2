import {
  Badge,
  Box,
  Button,
  Code,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import type { ObjectReplicationStatus, ObjectStatus } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { type RetrySelection, retryKey, useRuleObjects } from './api';
import {
  listsFailures,
  OBJECT_PARAMS,
  OBJECT_STATUS_FILTERS,
  type ObjectFilter,
  type ObjectStatusFilter,
  useObjectFilter,
} from './objectFilter';
import { OBJECTS_ANCHOR } from './paths';

export const STATUS_COLORS: Record<ObjectReplicationStatus, string> = {
  COMPLETED: 'green',
  PENDING: 'yellow',
  FAILED: 'red',
  REPLICA: 'gray',
  SKIPPED: 'gray',
};

const FILTER_LABELS: Record<ObjectStatusFilter, string> = {
  FAILED: 'Failed',
  PENDING: 'Pending',
  COMPLETED: 'Completed',
  REPLICA: 'Replica',
  SKIPPED: 'Skipped',
  ALL: 'All statuses',
};

const HEADINGS: Record<ObjectStatusFilter, string> = {
  FAILED: 'Failed objects',
  PENDING: 'Pending objects',
  COMPLETED: 'Completed objects',
  REPLICA: 'Replicas',
  SKIPPED: 'Skipped objects',
  ALL: 'All objects',
};

interface RuleObjectsProps {
  tenantId: string;
  ruleId: string;
  /** The rule's destination buckets, to filter by. */
  destinations: string[];
  /** The failure reasons the rule's failed versions have, to filter by. */
  failureReasons: string[];
  /** Whether versions are pending: the list is polled often then. */
  pending: boolean;
  /** Whether the principal may retry failed objects (OPERATOR and ADMIN; the server checks again). */
  canOperate: boolean;
  /** The retry under way, if any. */
  retrying: RetrySelection | undefined;
  onRetry: (selection: RetrySelection) => void;
}

/**
 * The rule's object versions of one status (failed ones unless the URL says otherwise), filtered by key prefix,
 * destination and failure reason, a page at a time, with a retry per failed key.
 */
export function RuleObjects({
  tenantId,
  ruleId,
  destinations,
  failureReasons,
  pending,
  canOperate,
  retrying,
  onRetry,
}: RuleObjectsProps) {
  const [filter, setFilter] = useObjectFilter();
  const objects = useRuleObjects(
    tenantId,
    ruleId,
    filter,
    useCursorParam(OBJECT_PARAMS.cursor),
    pending,
  );
  const reasons =
    filter.failureReason && !failureReasons.includes(filter.failureReason)
      ? [...failureReasons, filter.failureReason]
      : failureReasons;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="baseline">
        <ObjectsHeading status={filter.status} loaded={objects.data !== undefined} />
        <UpdatedAgo updatedAt={objects.dataUpdatedAt} what="Objects" />
      </Group>
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label="Status"
          value={filter.status}
          onChange={(event) =>
            setFilter({ status: event.currentTarget.value as ObjectStatusFilter })
          }
          data={OBJECT_STATUS_FILTERS.map((status) => ({
            value: status,
            label: FILTER_LABELS[status],
          }))}
        />
        <NativeSelect
          label="Destination"
          value={filter.destination ?? ''}
          onChange={(event) => setFilter({ destination: event.currentTarget.value || null })}
          data={[{ value: '', label: 'All destinations' }, ...destinations]}
        />
        {listsFailures(filter.status) && (
          <NativeSelect
            label="Failure reason"
            value={filter.failureReason ?? ''}
            onChange={(event) => setFilter({ failureReason: event.currentTarget.value || null })}
            data={[{ value: '', label: 'Any reason' }, ...reasons]}
          />
        )}
        <PrefixFilter
          key={filter.prefix ?? ''}
          prefix={filter.prefix}
          onApply={(prefix) => setFilter({ prefix })}
        />
      </Group>
      <ProblemAlert error={objects.error} />
      <div data-testid="objects">
        <DataTable
          label="Objects"
          columns={columns(canOperate, retrying, onRetry)}
          rows={objects.data?.items}
          rowKey={(row) => `${row.key}\u0000${row.versionId ?? ''}\u0000${row.destinationBucket}`}
          loading={objects.isPending}
          emptyText={emptyText(filter)}
        />
      </div>
      <CursorPager nextCursor={objects.data?.nextCursor} param={OBJECT_PARAMS.cursor} />
    </Stack>
  );
}

/** The key prefix, applied on Enter or with its button (not at every keystroke). */
function PrefixFilter({
  prefix,
  onApply,
}: {
  prefix: string | null;
  onApply: (prefix: string | null) => void;
}) {
  const [text, setText] = useState(prefix ?? '');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onApply(text || null);
      }}
    >
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Key prefix"
          placeholder="e.g. raw/2026/"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <Button type="submit" variant="default">
          Apply
        </Button>
      </Group>
    </form>
  );
}

function emptyText(filter: ObjectFilter): string {
  const none =
    filter.status === 'ALL' ? 'No objects' : `No ${HEADINGS[filter.status].toLowerCase()}`;
  return filter.prefix || filter.destination || filter.failureReason
    ? `${none} match the filter.`
    : `${none}.`;
}

/** The list's heading, scrolled to once the list is loaded when the URL names its anchor. */
function ObjectsHeading({ status, loaded }: { status: ObjectStatusFilter; loaded: boolean }) {
  const { hash } = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  const linkedTo = hash === `#${OBJECTS_ANCHOR}`;
  useEffect(() => {
    if (linkedTo && loaded) {
      heading.current?.scrollIntoView({ block: 'start' });
    }
  }, [linkedTo, loaded]);
  return (
    <Title order={3} size="h4" id={OBJECTS_ANCHOR} ref={heading}>
      {HEADINGS[status]}
    </Title>
  );
}

/** When a pending version is tried next: after its backoff, now (waiting for a worker), or it is being copied. */
function nextAttempt(row: ObjectStatus) {
  if (row.status !== 'PENDING') {
    return '—';
  }
  if (!row.nextAttemptAt) {
    return 'Being copied';
  }
  return Date.parse(row.nextAttemptAt) > Date.now() ? (
    <Timestamp value={row.nextAttemptAt} />
  ) : (
    'Due now'
  );
}

function statusCell(row: ObjectStatus) {
  return (
    <Stack gap={2} align="flex-start">
      <Badge variant="light" color={STATUS_COLORS[row.status]} size="sm" miw="max-content">
        {row.status}
      </Badge>
      {row.status === 'SKIPPED' && row.detail && (
        <Text size="xs">
          {row.outcome}: {row.detail}
        </Text>
      )}
      {row.status === 'COMPLETED' && row.replicatedAt && (
        <Text size="xs">
          at <Timestamp value={row.replicatedAt} />
        </Text>
      )}
    </Stack>
  );
}

function columns(
  canOperate: boolean,
  retrying: RetrySelection | undefined,
  onRetry: (selection: RetrySelection) => void,
): Column<ObjectStatus>[] {
  const shown: Column<ObjectStatus>[] = [
    {
      header: 'Key',
      // A long key wraps anywhere, but the column keeps room for a short one.
      cell: (row) => (
        <Box miw={140}>
          <Code style={{ overflowWrap: 'anywhere' }}>{row.key}</Code>
        </Box>
      ),
    },
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
    { header: 'Status', cell: statusCell },
    { header: 'Reason', cell: (row) => row.failureReason ?? '—' },
    { header: 'Last error', cell: (row) => row.lastError ?? '—' },
    { header: 'Attempts', cell: (row) => String(row.attempts) },
    { header: 'Next attempt', cell: nextAttempt },
  ];
  if (!canOperate) {
    return shown;
  }
  const busy = retrying === undefined ? undefined : retryKey(retrying);
  return [
    ...shown,
    {
      header: 'Action',
      cell: (row) => {
        const backingOff =
          row.status === 'PENDING' &&
          row.attempts > 0 &&
          row.nextAttemptAt !== null &&
          Date.parse(row.nextAttemptAt) > Date.now();
        if (row.status !== 'FAILED' && !backingOff) {
          return null;
        }
        const mine = retryKey({ keys: [row.key] });
        return (
          <Button
            size="xs"
            variant="default"
            aria-label={backingOff ? `Retry ${row.key} now` : `Retry ${row.key}`}
            title={
              backingOff
                ? 'Tries this version again now instead of at its next attempt (after fixing the cause)'
                : 'Queues the failed versions of this key again, at each destination'
            }
            loading={busy === mine}
            disabled={busy !== undefined && busy !== mine}
            onClick={() => onRetry({ keys: [row.key] })}
          >
            {backingOff ? 'Retry now' : 'Retry'}
          </Button>
        );
      },
    },
  ];
}
