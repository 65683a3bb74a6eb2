import { Anchor, Code, Stack } from '@mantine/core';
import { Link } from 'react-router';
import type { Tenant } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { useCurrentUser } from '../auth/session';
import { useTenants } from './api';
import { CreateTenantForm } from './CreateTenantForm';
import { TenantHealth } from './TenantHealth';

const columns: Column<Tenant>[] = [
  {
    header: 'Name',
    cell: (tenant) => (
      <Anchor component={Link} to={`/tenants/${encodeURIComponent(tenant.id)}/overview`}>
        {tenant.name}
      </Anchor>
    ),
  },
  { header: 'Health', cell: (tenant) => <TenantHealth tenantId={tenant.id} /> },
  { header: 'ID', cell: (tenant) => <Code>{tenant.id}</Code> },
  { header: 'Created', cell: (tenant) => <Timestamp value={tenant.createdAt} /> },
];

export function TenantsPage() {
  const me = useCurrentUser();
  const tenants = useTenants(useCursorParam());
  return (
    <Stack>
      <PageHeader title="Tenants">
        Each tenant has its own users, API tokens and audit log, and sees nothing of the others.
        Health is the worst state of a tenant&apos;s enabled rules (failing, lagging or healthy),
        with how many need attention; open the tenant for its overview.
        {me.platformAdmin
          ? ' Create a tenant, then open it to give its administrators a token or a user.'
          : ' Open yours to see its rules, trusts and tokens.'}
      </PageHeader>
      {me.platformAdmin && <CreateTenantForm />}
      <ProblemAlert error={tenants.error} />
      <DataTable
        columns={columns}
        rows={tenants.data?.items}
        rowKey={(tenant) => tenant.id}
        loading={tenants.isPending}
        emptyText="No tenants yet."
      />
      <CursorPager nextCursor={tenants.data?.nextCursor} />
    </Stack>
  );
}
