import { Button, Code, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { fromLocalInput, toLocalInput } from '../../components/localDateTime';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { useTenantId } from '../../layout/useTenantId';
import { useAuditLog } from './api';
import { AUDIT_ACTIONS, type AuditFilter, isFiltered, useAuditFilter } from './auditFilter';

const columns: Column<AuditEntry>[] = [
  { header: 'Time', cell: (event) => <Timestamp value={event.at} /> },
  { header: 'Actor', cell: (event) => event.actor },
  { header: 'Action', cell: (event) => <Code>{event.action}</Code> },
  { header: 'Target', cell: (event) => event.target ?? '—' },
  { header: 'Source IP', cell: (event) => event.sourceIp ?? '—' },
];

export function AuditPage() {
  const tenantId = useTenantId();
  const [filter, setFilter] = useAuditFilter();
  const auditLog = useAuditLog(tenantId, filter, useCursorParam());
  const actions = AUDIT_ACTIONS.some((action) => action.value === (filter.action ?? ''))
    ? AUDIT_ACTIONS
    : [...AUDIT_ACTIONS, { value: filter.action ?? '', label: filter.action ?? '' }];
  return (
    <Stack>
      <PageHeader title="Audit log">
        Who did what in this tenant, when and from which address: for example API tokens and users
        created or revoked, whether through the API or this dashboard, sign-ins and sign-outs, and
        failed sign-ins with the password of one of this tenant&apos;s users (the actor is then
        &ldquo;anonymous&rdquo;). Times are in your browser&apos;s time zone.
      </PageHeader>
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label="Action"
          value={filter.action ?? ''}
          onChange={(event) => setFilter({ action: event.currentTarget.value || null })}
          data={actions}
        />
        <ActorAndTimeFilter
          key={`${filter.actor}|${filter.since}|${filter.until}`}
          filter={filter}
          onApply={setFilter}
        />
        {isFiltered(filter) && (
          <Button
            variant="subtle"
            onClick={() => setFilter({ action: null, actor: null, since: null, until: null })}
          >
            Clear filters
          </Button>
        )}
      </Group>
      <ProblemAlert error={auditLog.error} />
      <DataTable
        label="Audit entries"
        columns={columns}
        rows={auditLog.data?.items}
        rowKey={(event) => event.id}
        loading={auditLog.isPending}
        emptyText={isFiltered(filter) ? 'No entries match the filter.' : 'Nothing recorded yet.'}
      />
      <CursorPager nextCursor={auditLog.data?.nextCursor} />
    </Stack>
  );
}

/** The actor text and the time range, applied together on Enter or with the button. */
function ActorAndTimeFilter({
  filter,
  onApply,
}: {
  filter: AuditFilter;
  onApply: (change: Partial<AuditFilter>) => void;
}) {
  const [actor, setActor] = useState(filter.actor ?? '');
  const [since, setSince] = useState(filter.since ? toLocalInput(Date.parse(filter.since)) : '');
  const [until, setUntil] = useState(filter.until ? toLocalInput(Date.parse(filter.until)) : '');
  const [rangeError, setRangeError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const from = fromLocalInput(since);
        const to = fromLocalInput(until);
        if (from !== null && to !== null && from >= to) {
          setRangeError('Must be after From: pick a later time, or clear one of them.');
          return;
        }
        setRangeError(null);
        onApply({ actor: actor.trim() || null, since: isoOf(from), until: isoOf(to) });
      }}
    >
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Actor contains"
          placeholder="e.g. ada@example.com"
          maxLength={200}
          value={actor}
          onChange={(event) => setActor(event.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label="From"
          value={since}
          onChange={(event) => setSince(event.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label="To"
          value={until}
          error={rangeError}
          onChange={(event) => setUntil(event.currentTarget.value)}
        />
        <Button type="submit" variant="default">
          Apply
        </Button>
      </Group>
    </form>
  );
}

function isoOf(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
