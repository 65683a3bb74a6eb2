import { Stack } from '@mantine/core';
import type { User } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleBadge } from '../../components/RoleBadge';
import { RoleHelp } from '../../components/RoleHelp';
import { Timestamp } from '../../components/Timestamp';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useRemoveUser, useUsers } from './api';
import { CreateUserForm, MIN_PASSWORD_LENGTH } from './CreateUserForm';

const baseColumns: Column<User>[] = [
  { header: 'Email', cell: (user) => user.email },
  { header: 'Role', cell: (user) => <RoleBadge role={user.role} /> },
  { header: 'Created', cell: (user) => <Timestamp value={user.createdAt} /> },
];

export function UsersPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const users = useUsers(tenantId, useCursorParam());
  const removeUser = useRemoveUser(tenantId);

  const columns: Column<User>[] = canAdminister
    ? [
        ...baseColumns,
        {
          header: 'Actions',
          cell: (user) => (
            <ConfirmButton
              label="Remove"
              title="Remove user"
              message={`Remove ${user.email}? They can no longer sign in to this tenant.`}
              loading={removeUser.isPending && removeUser.variables === user.id}
              onConfirm={() => removeUser.mutate(user.id)}
            />
          ),
        },
      ]
    : baseColumns;

  return (
    <Stack>
      <PageHeader title="Users">
        People who sign in to this dashboard with an email and a password (at least{' '}
        {MIN_PASSWORD_LENGTH} characters). A user may do what their role allows:
        <RoleHelp />
      </PageHeader>
      {canAdminister && <CreateUserForm tenantId={tenantId} />}
      <ProblemAlert error={users.error ?? removeUser.error} />
      <DataTable
        columns={columns}
        rows={users.data?.items}
        rowKey={(user) => user.id}
        loading={users.isPending}
        emptyText="No users yet."
      />
      <CursorPager nextCursor={users.data?.nextCursor} />
    </Stack>
  );
}
