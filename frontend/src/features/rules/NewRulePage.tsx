import { Alert, Stack } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useCreateRule } from './api';
import { rulePage, rulesPage } from './paths';
import { toRuleInput } from './ruleForm';
import { RuleForm } from './RuleForm';
import { TrustsGate } from './TrustsGate';

export function NewRulePage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const createRule = useCreateRule(tenantId);
  const navigate = useNavigate();
  return (
    <Stack>
      <PageHeader title="New rule">
        Replicate a source bucket to one or more destination buckets, as an S3 Replication rule
        does. The source bucket must have versioning enabled, and so must the destinations. Versions
        written from now on are replicated live; earlier ones need a batch job.
      </PageHeader>
      {canAdminister ? (
        <TrustsGate tenantId={tenantId}>
          {(trusts) => (
            <RuleForm
              trusts={trusts}
              submitLabel="Create rule"
              cancelTo={rulesPage(tenantId)}
              error={createRule.error}
              onSubmit={async (values) => {
                const rule = await createRule.mutateAsync(toRuleInput(values));
                await navigate(rulePage(tenantId, rule.id));
              }}
            />
          )}
        </TrustsGate>
      ) : (
        <Alert color="yellow">Only a tenant ADMIN may create rules.</Alert>
      )}
    </Stack>
  );
}
