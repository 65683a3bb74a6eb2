import { Alert, Loader, Stack } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useRule, useUpdateRule } from './api';
import { rulePage } from './paths';
import { toRuleInput } from './ruleForm';
import { RuleForm } from './RuleForm';
import { TrustsGate } from './TrustsGate';
import { useRuleId } from './useRuleId';

export function EditRulePage() {
  const tenantId = useTenantId();
  const ruleId = useRuleId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const rule = useRule(tenantId, ruleId);
  const updateRule = useUpdateRule(tenantId, ruleId);
  const navigate = useNavigate();
  return (
    <Stack>
      <PageHeader title={rule.data ? `Edit rule ${rule.data.name}` : 'Edit rule'}>
        Saving replaces the rule&apos;s settings. Enabling a rule checks again that the source
        bucket has versioning enabled.
      </PageHeader>
      <ProblemAlert error={rule.error} />
      {rule.isPending && <Loader size="sm" aria-label="Loading" />}
      {rule.data &&
        (canAdminister ? (
          <TrustsGate tenantId={tenantId}>
            {(trusts) => (
              <RuleForm
                rule={rule.data}
                trusts={trusts}
                submitLabel="Save rule"
                cancelTo={rulePage(tenantId, ruleId)}
                error={updateRule.error}
                onSubmit={async (values) => {
                  await updateRule.mutateAsync(toRuleInput(values));
                  await navigate(rulePage(tenantId, ruleId));
                }}
              />
            )}
          </TrustsGate>
        ) : (
          <Alert color="yellow">Only a tenant ADMIN may edit rules.</Alert>
        ))}
    </Stack>
  );
}
