import { Code, Stack } from '@mantine/core';
import type { AuditEvent } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { useTenantId } from '../../layout/useTenantId';
import { useAuditLog } from './api';

const columns: Column<AuditEvent>[] = [
  { header: 'Time', cell: (event) => <Timestamp value={event.at} /> },
  { header: 'Actor', cell: (event) => event.actor },
  { header: 'Action', cell: (event) => <Code>{event.action}</Code> },
  { header: 'Target', cell: (event) => event.target ?? '—' },
  { header: 'Source IP', cell: (event) => event.sourceIp ?? '—' },
];

export function AuditPage() {
  const tenantId = useTenantId();
  const auditLog = useAuditLog(tenantId, useCursorParam());
  return (
    <Stack>
      <PageHeader title="Audit log">
        Who did what in this tenant, when and from which address: for example API tokens and users
        created or revoked, whether through the API or this dashboard.
      </PageHeader>
      <ProblemAlert error={auditLog.error} />
      <DataTable
        columns={columns}
        rows={auditLog.data?.items}
        rowKey={(event) => event.id}
        loading={auditLog.isPending}
        emptyText="Nothing recorded yet."
      />
      <CursorPager nextCursor={auditLog.data?.nextCursor} />
    </Stack>
  );
}
