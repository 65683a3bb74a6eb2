import { Anchor, Button, Group, Loader, Stack, Title } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, canOperateTenant, useCurrentUser } from '../auth/session';
import { newBatchJobPage, ruleBatchJobsPage } from '../batchJobs/paths';
import { useDeleteRule, useRule, useUpdateRule } from './api';
import { AwsConfigurationPanel } from './AwsConfigurationPanel';
import { rulesPage } from './paths';
import { RuleActions } from './RuleActions';
import { ReplicationStatus } from './ReplicationStatus';
import { RuleDetails } from './RuleDetails';
import { RuleStatusBadge } from './RuleStatusBadge';
import { ruleInputOf } from './ruleForm';
import { useRuleId } from './useRuleId';
import { useTenantTrusts } from './useTenantTrusts';

export function RulePage() {
  const tenantId = useTenantId();
  const ruleId = useRuleId();
  const me = useCurrentUser();
  const canAdminister = canAdministerTenant(me, tenantId);
  const canOperate = canOperateTenant(me, tenantId);
  const rule = useRule(tenantId, ruleId);
  const { nameOf } = useTenantTrusts(tenantId);
  const updateRule = useUpdateRule(tenantId, ruleId);
  const deleteRule = useDeleteRule(tenantId, ruleId);
  const navigate = useNavigate();
  const data = rule.data;
  return (
    <Stack>
      <Anchor component={Link} to={rulesPage(tenantId)} size="sm">
        ← All rules
      </Anchor>
      <PageHeader title={data ? `Rule ${data.name}` : 'Rule'}>
        Replicates new object versions of the source bucket to each destination. Enabling a rule
        checks that the source bucket has versioning enabled. How replication goes comes first; the
        rule&apos;s configuration follows below.
      </PageHeader>
      <ProblemAlert error={rule.error ?? updateRule.error ?? deleteRule.error} />
      {rule.isPending && <Loader size="sm" aria-label="Loading" />}
      {data && (
        <>
          <Group gap="xs" data-testid="rule-state">
            <RuleStatusBadge status={data.status} />
            {canAdminister && (
              <RuleActions
                tenantId={tenantId}
                rule={data}
                toggling={updateRule.isPending}
                onToggle={() =>
                  updateRule.mutate({
                    ...ruleInputOf(data),
                    status: data.status === 'ENABLED' ? 'DISABLED' : 'ENABLED',
                  })
                }
                deleting={deleteRule.isPending}
                onDelete={() =>
                  deleteRule.mutate(undefined, {
                    onSuccess: () => navigate(rulesPage(tenantId), { replace: true }),
                  })
                }
              />
            )}
            {canOperate && (
              <Button
                component={Link}
                to={newBatchJobPage(tenantId, ruleId)}
                size="xs"
                variant="light"
              >
                Replicate existing objects
              </Button>
            )}
            <Button
              component={Link}
              to={ruleBatchJobsPage(tenantId, ruleId)}
              size="xs"
              variant="subtle"
            >
              Batch jobs of this rule
            </Button>
          </Group>
          <ReplicationStatus
            tenantId={tenantId}
            ruleId={ruleId}
            destinations={data.destinations.map((destination) => destination.bucket)}
            canOperate={canOperate}
            thresholdMinutes={data.replicationTime.thresholdMinutes}
          />
          <Title order={2} size="h3">
            Configuration
          </Title>
          <RuleDetails rule={data} nameOf={nameOf} />
          <AwsConfigurationPanel tenantId={tenantId} source={data.source} />
        </>
      )}
    </Stack>
  );
}
