import { Stack } from '@mantine/core';
import { useState } from 'react';
import type { CreatedToken, Token } from '../../api/types';
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
import { useRevokeToken, useTokens } from './api';
import { CreateTokenForm } from './CreateTokenForm';
import { NewTokenSecret } from './NewTokenSecret';

const baseColumns: Column<Token>[] = [
  { header: 'Name', cell: (token) => token.name },
  { header: 'Role', cell: (token) => <RoleBadge role={token.role} /> },
  { header: 'Created', cell: (token) => <Timestamp value={token.createdAt} /> },
  { header: 'Created by', cell: (token) => token.createdBy },
  { header: 'Last used', cell: (token) => <Timestamp value={token.lastUsedAt} empty="Never" /> },
];

export function TokensPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const tokens = useTokens(tenantId, useCursorParam());
  const revokeToken = useRevokeToken(tenantId);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const columns: Column<Token>[] = canAdminister
    ? [
        ...baseColumns,
        {
          header: 'Actions',
          cell: (token) => (
            <ConfirmButton
              label="Revoke"
              title="Revoke API token"
              message={`Revoke "${token.name}"? Every request made with it is refused from now on.`}
              loading={revokeToken.isPending && revokeToken.variables === token.id}
              onConfirm={() => revokeToken.mutate(token.id)}
            />
          ),
        },
      ]
    : baseColumns;

  return (
    <Stack>
      <PageHeader title="API tokens">
        Tokens let scripts and services call the Replicator API for this tenant. Copy a new token
        when it is shown: only its name is kept visible afterwards. What a token may do depends on
        its role:
        <RoleHelp />
      </PageHeader>
      {created && <NewTokenSecret token={created} onDismiss={() => setCreated(null)} />}
      {canAdminister && <CreateTokenForm tenantId={tenantId} onCreated={setCreated} />}
      <ProblemAlert error={tokens.error ?? revokeToken.error} />
      <DataTable
        columns={columns}
        rows={tokens.data?.items}
        rowKey={(token) => token.id}
        loading={tokens.isPending}
        emptyText="No API tokens yet."
      />
      <CursorPager nextCursor={tokens.data?.nextCursor} />
    </Stack>
  );
}
