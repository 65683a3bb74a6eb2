import { Anchor, Button, Group, NativeSelect, Stack } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { BATCH_JOB_STATUSES, type BatchJob, type BatchJobStatus } from '../../api/types';
import { IDLE_POLL_MS } from '../../api/polling';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { useTenantId } from '../../layout/useTenantId';
import { canOperateTenant, useCurrentUser } from '../auth/session';
import { rulePage } from '../rules/paths';
import { useTenantRules } from '../rules/useTenantRules';
import { BATCH_JOB_POLL_MS, type BatchJobsFilter, useBatchJobs } from './api';
import { BatchJobProgressCompact } from './BatchJobProgress';
import { BatchJobStatusBadge } from './BatchJobStatusBadge';
import { jobTitle } from './labels';
import { batchJobPage, newBatchJobPage } from './paths';

function columns(tenantId: string, ruleName: (ruleId: string) => string): Column<BatchJob>[] {
  return [
    {
      header: 'Status',
      cell: (job) => <BatchJobStatusBadge status={job.status} failed={job.failed} />,
    },
    {
      header: 'Description',
      cell: (job) => (
        <Anchor component={Link} to={batchJobPage(tenantId, job.id)}>
          {jobTitle(job)}
        </Anchor>
      ),
    },
    {
      header: 'Rule',
      cell: (job) => (
        <Anchor component={Link} to={rulePage(tenantId, job.ruleId)}>
          {ruleName(job.ruleId)}
        </Anchor>
      ),
    },
    { header: 'Progress', cell: (job) => <BatchJobProgressCompact job={job} /> },
    { header: 'Created', cell: (job) => <Timestamp value={job.createdAt} /> },
    { header: 'Completed', cell: (job) => <Timestamp value={job.completedAt} /> },
  ];
}

const STATUS_PARAM = 'status';
const RULE_PARAM = 'ruleId';

function statusOf(value: string | null): BatchJobStatus | null {
  return BATCH_JOB_STATUSES.find((status) => status === value) ?? null;
}

/** The list's filter, kept in the URL (?status=RUNNING&ruleId=...); changing it starts at the first page. */
function useJobsFilter(): [BatchJobsFilter, (param: string, value: string) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = {
    ruleId: searchParams.get(RULE_PARAM) || null,
    status: statusOf(searchParams.get(STATUS_PARAM)),
  };
  const setFilter = (param: string, value: string) => {
    const next = new URLSearchParams(searchParams);
    if (value) {
      next.set(param, value);
    } else {
      next.delete(param);
    }
    next.delete('cursor');
    setSearchParams(next, { flushSync: true });
  };
  return [filter, setFilter];
}

export function BatchJobsPage() {
  const tenantId = useTenantId();
  const canOperate = canOperateTenant(useCurrentUser(), tenantId);
  const [filter, setFilter] = useJobsFilter();
  const jobs = useBatchJobs(tenantId, filter, useCursorParam());
  const { rules, nameOf } = useTenantRules(tenantId);
  const ruleOptions = [
    { value: '', label: 'All rules' },
    ...(rules ?? []).map((rule) => ({ value: rule.id, label: rule.name })),
  ];
  if (filter.ruleId && !rules?.some((rule) => rule.id === filter.ruleId)) {
    ruleOptions.push({ value: filter.ruleId, label: nameOf(filter.ruleId) });
  }
  return (
    <Stack>
      <PageHeader title="Batch jobs">
        A batch job replicates object versions that already exist, as S3 Batch Replication does:
        versions written before a rule was created, ones that failed before, or ones to copy again
        to a destination added later. Pick them with a filter on their replication status, or list
        them in a manifest. Jobs use the rule&apos;s settings and run alongside live replication.
        The list refreshes on its own: every {BATCH_JOB_POLL_MS / 1000} seconds while a job is being
        prepared or run, else every {IDLE_POLL_MS / 1000} seconds, so jobs started elsewhere
        (through the API) show up too.
      </PageHeader>
      {canOperate && (
        <Group>
          <Button component={Link} to={newBatchJobPage(tenantId, filter.ruleId ?? undefined)}>
            New batch job
          </Button>
        </Group>
      )}
      <Group align="flex-end">
        <NativeSelect
          label="Status"
          value={filter.status ?? ''}
          onChange={(event) => setFilter(STATUS_PARAM, event.currentTarget.value)}
          data={[{ value: '', label: 'All statuses' }, ...BATCH_JOB_STATUSES]}
        />
        <NativeSelect
          label="Rule"
          value={filter.ruleId ?? ''}
          onChange={(event) => setFilter(RULE_PARAM, event.currentTarget.value)}
          data={ruleOptions}
        />
        <UpdatedAgo updatedAt={jobs.dataUpdatedAt} what="Batch jobs" />
      </Group>
      <ProblemAlert error={jobs.error} />
      <div data-testid="batch-jobs">
        <DataTable
          columns={columns(tenantId, nameOf)}
          rows={jobs.data?.items}
          rowKey={(job) => job.id}
          loading={jobs.isPending}
          emptyText={
            filter.status || filter.ruleId
              ? 'No batch jobs match the filter.'
              : 'No batch jobs yet.'
          }
        />
      </div>
      <CursorPager nextCursor={jobs.data?.nextCursor} />
    </Stack>
  );
}
