import { Alert, Anchor, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Rule } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canOperateTenant, useCurrentUser } from '../auth/session';
import { rulesPage } from '../rules/paths';
import { TrustsGate } from '../rules/TrustsGate';
import { useTenantRules } from '../rules/useTenantRules';
import { useCreateBatchJob } from './api';
import { BatchJobForm } from './BatchJobForm';
import { batchJobPage, batchJobsPage } from './paths';

export function NewBatchJobPage() {
  const tenantId = useTenantId();
  const canOperate = canOperateTenant(useCurrentUser(), tenantId);
  const createJob = useCreateBatchJob(tenantId);
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  return (
    <Stack>
      <PageHeader title="New batch job">
        Replicate object versions that already exist in a rule&apos;s source bucket, as S3 Batch
        Replication does: pick them by their replication status, or list them in a manifest. The job
        runs alongside live replication and can be cancelled while it runs.
      </PageHeader>
      {canOperate ? (
        <TrustsGate tenantId={tenantId}>
          {(trusts) => (
            <RulesGate tenantId={tenantId}>
              {(rules) => (
                <BatchJobForm
                  rules={rules}
                  trusts={trusts}
                  initialRuleId={searchParams.get('ruleId') ?? ''}
                  cancelTo={batchJobsPage(tenantId)}
                  error={createJob.error}
                  onSubmit={async (body) => {
                    const job = await createJob.mutateAsync(body);
                    await navigate(batchJobPage(tenantId, job.id));
                  }}
                />
              )}
            </RulesGate>
          )}
        </TrustsGate>
      ) : (
        <Alert color="yellow">Only a tenant OPERATOR or ADMIN may start batch jobs.</Alert>
      )}
    </Stack>
  );
}

/** Waits for the tenant's rules, so the rule select starts complete; a job needs one. */
function RulesGate({
  tenantId,
  children,
}: {
  tenantId: string;
  children: (rules: Rule[]) => ReactNode;
}) {
  const { rules, error } = useTenantRules(tenantId);
  if (error) {
    return <ProblemAlert error={error} />;
  }
  if (!rules) {
    return <Loader size="sm" aria-label="Loading" />;
  }
  if (rules.length === 0) {
    return (
      <Alert color="yellow" title="No rules yet">
        A batch job replicates with the settings of a rule.{' '}
        <Anchor component={Link} to={rulesPage(tenantId)}>
          Create a rule
        </Anchor>{' '}
        first.
      </Alert>
    );
  }
  return children(rules);
}
