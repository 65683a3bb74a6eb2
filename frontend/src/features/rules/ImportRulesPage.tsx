import { Alert, Anchor, Stack } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useImportRules } from './api';
import { ImportRulesForm } from './ImportRulesForm';
import { rulesPage } from './paths';
import type { RulesPageState } from './RulesPage';
import { TrustsGate } from './TrustsGate';

export function ImportRulesPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const importRules = useImportRules(tenantId);
  const navigate = useNavigate();
  return (
    <Stack>
      <Anchor component={Link} to={rulesPage(tenantId)} size="sm">
        ← All rules
      </Anchor>
      <PageHeader title="Import AWS configuration">
        Create rules from a bucket&apos;s S3 Replication configuration. Its rule IDs, priorities,
        filters, destinations and options carry over; each destination bucket ARN is reached through
        the trust you choose. The whole document is checked first: if any rule is invalid, no rule
        is created.
      </PageHeader>
      {canAdminister ? (
        <TrustsGate tenantId={tenantId}>
          {(trusts) => (
            <ImportRulesForm
              trusts={trusts}
              cancelTo={rulesPage(tenantId)}
              error={importRules.error}
              onSubmit={async (body) => {
                const { items } = await importRules.mutateAsync(body);
                const state: RulesPageState = { imported: items.length };
                await navigate(rulesPage(tenantId), { state });
              }}
            />
          )}
        </TrustsGate>
      ) : (
        <Alert color="yellow">Only a tenant ADMIN may import rules.</Alert>
      )}
    </Stack>
  );
}
