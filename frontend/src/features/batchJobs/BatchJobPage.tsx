import { Anchor, Button, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { BATCH_JOB_STATUSES, type BatchJob, type BatchReportScope } from '../../api/types';
import { IDLE_POLL_MS } from '../../api/polling';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type DetailRow, DetailsTable } from '../../components/DetailsTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { useTenantId } from '../../layout/useTenantId';
import { canOperateTenant, useCurrentUser } from '../auth/session';
import { useRule } from '../rules/api';
import { ruleFailedObjectsPage } from '../rules/paths';
import { useTenantTrusts } from '../rules/useTenantTrusts';
import {
  BATCH_JOB_POLL_MS,
  useBatchJob,
  useCancelBatchJob,
  useDownloadBatchJobReport,
} from './api';
import { BatchJobDetails } from './BatchJobDetails';
import { BatchJobProgress } from './BatchJobProgress';
import { BatchJobStatusBadge } from './BatchJobStatusBadge';
import {
  COMPLETED_WITH_FAILURES_HELP,
  isActive,
  JOB_STATUS_HELP,
  jobTitle,
  REPORT_SCOPE_LABELS,
} from './labels';
import { batchJobsPage } from './paths';
import { useJobId } from './useJobId';

export function BatchJobPage() {
  const tenantId = useTenantId();
  const jobId = useJobId();
  const canOperate = canOperateTenant(useCurrentUser(), tenantId);
  const job = useBatchJob(tenantId, jobId);
  const cancel = useCancelBatchJob(tenantId, jobId);
  const download = useDownloadBatchJobReport(tenantId, jobId);
  const data = job.data;
  return (
    <Stack>
      <Anchor component={Link} to={batchJobsPage(tenantId)} size="sm">
        ← All batch jobs
      </Anchor>
      <PageHeader title={data ? `Batch job ${jobTitle(data)}` : 'Batch job'}>
        Replicates existing object versions of the rule&apos;s source bucket to its destinations,
        with the rule&apos;s settings. The figures refresh on their own: every{' '}
        {BATCH_JOB_POLL_MS / 1000} seconds while the job is being prepared or run, else every{' '}
        {IDLE_POLL_MS / 1000} seconds.
      </PageHeader>
      <ProblemAlert error={job.error ?? cancel.error ?? download.error} />
      {job.isPending && <Loader size="sm" aria-label="Loading" />}
      {data && (
        <>
          <Group gap="xs">
            {canOperate && isActive(data) && (
              <ConfirmButton
                label="Cancel job"
                title="Cancel batch job"
                message={`Cancel "${jobTitle(data)}"? Replicas already written stay; the tasks not yet run are not replicated by this job.`}
                loading={cancel.isPending}
                onConfirm={() => cancel.mutate()}
              />
            )}
            <ReportButtons
              downloading={download.isPending ? download.variables : undefined}
              onDownload={(scope) => download.mutate(scope)}
            />
          </Group>
          <JobProgress tenantId={tenantId} job={data} updatedAt={job.dataUpdatedAt} />
          <Title order={2} size="h3">
            Details
          </Title>
          <JobDetails tenantId={tenantId} job={data} />
          <StatusHelp />
        </>
      )}
    </Stack>
  );
}

function ReportButtons({
  downloading,
  onDownload,
}: {
  downloading: BatchReportScope | undefined;
  onDownload: (scope: BatchReportScope) => void;
}) {
  const scopes: { scope: BatchReportScope; label: string }[] = [
    { scope: 'ALL_TASKS', label: 'Download report (all tasks)' },
    { scope: 'FAILED_TASKS_ONLY', label: 'Download report (failed only)' },
  ];
  return scopes.map(({ scope, label }) => (
    <Button
      key={scope}
      size="xs"
      variant="default"
      loading={downloading === scope}
      disabled={downloading !== undefined && downloading !== scope}
      onClick={() => onDownload(scope)}
      title={`A CSV row per task: ${REPORT_SCOPE_LABELS[scope].toLowerCase()}`}
    >
      {label}
    </Button>
  ));
}

function JobProgress({
  tenantId,
  job,
  updatedAt,
}: {
  tenantId: string;
  job: BatchJob;
  updatedAt: number;
}) {
  const rows: DetailRow[] = [
    [
      'Total',
      job.status === 'PREPARING'
        ? `${job.totalObjects} so far (still finding versions)`
        : String(job.totalObjects),
    ],
    ['Pending', String(job.pending)],
    ['Succeeded', String(job.succeeded)],
    ['Failed', String(job.failed)],
    ['Skipped', String(job.skipped)],
  ];
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h3">
          Progress
        </Title>
        <UpdatedAgo updatedAt={updatedAt} what="Batch job" />
      </Group>
      <BatchJobProgress job={job} />
      <DetailsTable rows={rows} data-testid="batch-job-counts" aria-label="Task counts" />
      <Text size="sm" c="dimmed">
        A task is one object version to one destination. Skipped tasks had nothing to replicate: the
        version is outside the rule&apos;s filter, is a replica (unless the job picks replicas), or
        is no longer in the rule.
      </Text>
      {job.failed > 0 && (
        <Text size="sm">
          Failed tasks show among the{' '}
          <Anchor component={Link} to={ruleFailedObjectsPage(tenantId, job.ruleId)}>
            failed objects of the rule
          </Anchor>
          , with the reason of each; the report lists them too.
        </Text>
      )}
    </Stack>
  );
}

function JobDetails({ tenantId, job }: { tenantId: string; job: BatchJob }) {
  const rule = useRule(tenantId, job.ruleId);
  const { nameOf } = useTenantTrusts(tenantId);
  return (
    <BatchJobDetails
      tenantId={tenantId}
      job={job}
      ruleName={rule.data?.name ?? job.ruleId}
      trustName={nameOf}
    />
  );
}

function StatusHelp() {
  return (
    <Stack gap={4}>
      <Title order={3} size="h4">
        Statuses
      </Title>
      <List size="sm" spacing={4}>
        {BATCH_JOB_STATUSES.map((status) => (
          <List.Item key={status} icon={<BatchJobStatusBadge status={status} />}>
            {JOB_STATUS_HELP[status]}
          </List.Item>
        ))}
        <List.Item icon={<BatchJobStatusBadge status="COMPLETED" failed={1} />}>
          {COMPLETED_WITH_FAILURES_HELP}
        </List.Item>
      </List>
    </Stack>
  );
}
