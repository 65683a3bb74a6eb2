import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS } from '../../api/polling';
import type { BatchJob, BatchJobPage } from '../../api/types';
import { json } from '../../test/fetchStub';
import { elapse, fakeClock, setTabVisible } from '../../test/liveRefresh';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { BATCH_JOB_POLL_MS, hasActiveJobs } from './api';
import { batchJobsPath, completedJob, runningJob, stubBatchJobsApi } from './batchJobs.fixtures';

const jobsPage = `/tenants/${TENANT_ID}/batch-jobs`;

function page(...items: BatchJob[]): BatchJobPage {
  return { items, nextCursor: null };
}

describe('BatchJobsPage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a completed job whose tasks failed as completed with failures, not as a success', async () => {
    const failedAll: BatchJob = {
      ...completedJob,
      id: 'job-3',
      description: 'All failed',
      totalObjects: 12,
      succeeded: 0,
      failed: 12,
    };
    stubBatchJobsApi(tenantMember('VIEWER'), {
      [`GET ${batchJobsPath}`]: () => json(200, page(failedAll, completedJob)),
    });
    renderApp(jobsPage);

    const table = await screen.findByTestId('batch-jobs');
    const failedRow = (await within(table).findByRole('link', { name: 'All failed' })).closest(
      'tr',
    )!;
    expect(failedRow).toHaveTextContent('COMPLETED WITH FAILURES');
    const fine = within(table).getByRole('link', { name: 'Job job-2' }).closest('tr')!;
    expect(fine).toHaveTextContent('COMPLETED');
    expect(fine).not.toHaveTextContent('WITH FAILURES');
  });

  it('lists the jobs with status, rule, progress and times', async () => {
    const requests = stubBatchJobsApi(tenantMember('VIEWER'));
    renderApp(jobsPage);

    const table = await screen.findByTestId('batch-jobs');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Status', 'Description', 'Rule', 'Progress', 'Created', 'Completed']);

    const running = (
      await within(table).findByRole('link', { name: 'Backfill 2025 photos' })
    ).closest('tr')!;
    expect(within(running).getByRole('link', { name: 'Backfill 2025 photos' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/batch-jobs/job-1`,
    );
    expect(running).toHaveTextContent('RUNNING');
    expect(
      await within(running).findByRole('link', { name: 'photos-to-replicas' }),
    ).toHaveAttribute('href', `/tenants/${TENANT_ID}/rules/rule-1`);
    expect(within(running).getByText('30 of 40 tasks')).toBeInTheDocument();
    expect(within(running).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '75');
    expect(within(running).getByText('—')).toBeInTheDocument(); // not completed

    // Without a description, a job goes by the start of its ID.
    const completed = within(table).getByRole('link', { name: 'Job job-2' }).closest('tr')!;
    expect(completed).toHaveTextContent('COMPLETED');
    expect(within(completed).getByRole('link', { name: 'logs-archive' })).toBeInTheDocument();
    expect(within(completed).getByText('100 of 100 tasks')).toBeInTheDocument();
    expect(within(completed).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');

    const navigation = screen.getByRole('navigation', { name: 'Main' });
    const links = within(navigation)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(links.indexOf('Batch jobs')).toBe(links.indexOf('Rules') + 1);
    expect(within(navigation).getByRole('link', { name: 'Batch jobs' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    const list = requests.find((request) => request.path === batchJobsPath)!;
    expect(Object.fromEntries(list.searchParams)).toEqual({ limit: '50' });
    expect(screen.queryByRole('link', { name: 'New batch job' })).not.toBeInTheDocument();
  });

  it('filters by status and rule in the URL, starting again at the first page', async () => {
    const requests = stubBatchJobsApi(tenantMember('OPERATOR'), {
      [`GET ${batchJobsPath}`]: ({ searchParams }) =>
        searchParams.get('status') === 'COMPLETED'
          ? json(200, page(completedJob))
          : json(200, { items: [runningJob], nextCursor: 'next-1' }),
    });
    const { user, router } = renderApp(`${jobsPage}?cursor=next-1`);
    const lists = () => requests.filter((request) => request.path === batchJobsPath);

    await screen.findByRole('link', { name: 'Backfill 2025 photos' });
    expect(lists()[0]!.searchParams.get('cursor')).toBe('next-1');

    await user.selectOptions(screen.getByLabelText('Status'), 'COMPLETED');

    expect(await screen.findByRole('link', { name: 'Job job-2' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Backfill 2025 photos' })).not.toBeInTheDocument();
    expect(router.state.location.search).toBe('?status=COMPLETED');
    expect(Object.fromEntries(lists().at(-1)!.searchParams)).toEqual({
      status: 'COMPLETED',
      limit: '50',
    });

    await user.selectOptions(screen.getByLabelText('Rule'), 'logs-archive');

    expect(router.state.location.search).toBe('?status=COMPLETED&ruleId=rule-2');
    await waitFor(() =>
      expect(Object.fromEntries(lists().at(-1)!.searchParams)).toEqual({
        ruleId: 'rule-2',
        status: 'COMPLETED',
        limit: '50',
      }),
    );
    // A new job starts with the rule the list shows.
    expect(screen.getByRole('link', { name: 'New batch job' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/batch-jobs/new?ruleId=rule-2`,
    );
  });

  it('polls every 2 s while a job is running, then at the idle pace', async () => {
    fakeClock();
    let calls = 0;
    const requests = stubBatchJobsApi(tenantMember('VIEWER'), {
      [`GET ${batchJobsPath}`]: () => {
        calls += 1;
        return calls === 1
          ? json(200, page(runningJob, completedJob))
          : json(200, page({ ...runningJob, status: 'COMPLETED', pending: 0, succeeded: 35 }));
      },
    });
    renderApp(jobsPage);
    const lists = () => requests.filter((request) => request.path === batchJobsPath);

    const row = (await screen.findByRole('link', { name: 'Backfill 2025 photos' })).closest('tr')!;
    expect(row).toHaveTextContent('RUNNING');

    await elapse(BATCH_JOB_POLL_MS);
    await waitFor(() => expect(row).toHaveTextContent('COMPLETED'));
    expect(within(row).getByText('40 of 40 tasks')).toBeInTheDocument();
    expect(lists()).toHaveLength(2);

    await elapse(IDLE_POLL_MS - 1000);
    expect(lists()).toHaveLength(2);
    await elapse(1000);
    await waitFor(() => expect(lists()).toHaveLength(3));
  });

  it('shows a job created elsewhere without a reload, and how fresh the list is', async () => {
    fakeClock();
    let jobs = [completedJob];
    const requests = stubBatchJobsApi(tenantMember('VIEWER'), {
      [`GET ${batchJobsPath}`]: () => json(200, page(...jobs)),
    });
    renderApp(jobsPage);
    const lists = () => requests.filter((request) => request.path === batchJobsPath);

    const table = await screen.findByTestId('batch-jobs');
    await within(table).findByRole('link', { name: 'Job job-2' });
    const updated = screen.getByRole('status', { name: 'Batch jobs updated just now' });
    expect(updated).toHaveTextContent('Updated just now');

    jobs = [runningJob, completedJob]; // created through the API
    await elapse(12_000);
    expect(updated).toHaveTextContent('Updated 12 s ago');
    expect(updated).toHaveAccessibleName('Batch jobs updated 12 seconds ago');
    expect(within(table).queryByRole('link', { name: 'Backfill 2025 photos' })).toBeNull();

    await elapse(IDLE_POLL_MS - 12_000);
    expect(
      await within(table).findByRole('link', { name: 'Backfill 2025 photos' }),
    ).toBeInTheDocument();
    expect(updated).toHaveTextContent('Updated just now');
    expect(lists()).toHaveLength(2);
  });

  it('polls nothing while the tab is hidden, and catches up when it is shown', async () => {
    fakeClock();
    let jobs = [completedJob];
    const requests = stubBatchJobsApi(tenantMember('VIEWER'), {
      [`GET ${batchJobsPath}`]: () => json(200, page(...jobs)),
    });
    renderApp(jobsPage);
    const lists = () => requests.filter((request) => request.path === batchJobsPath);
    const table = await screen.findByTestId('batch-jobs');
    await within(table).findByRole('link', { name: 'Job job-2' });

    setTabVisible(false);
    jobs = [runningJob, completedJob];
    await elapse(3 * IDLE_POLL_MS);
    expect(lists()).toHaveLength(1);
    expect(screen.getByTestId('updated-ago')).toHaveTextContent('Updated 45 s ago');

    setTabVisible(true);
    expect(
      await within(table).findByRole('link', { name: 'Backfill 2025 photos' }),
    ).toBeInTheDocument();
    expect(lists()).toHaveLength(2);
  });

  it('polls only pages with a job being prepared or run', () => {
    expect(hasActiveJobs(undefined)).toBe(false);
    expect(hasActiveJobs(page(completedJob))).toBe(false);
    expect(hasActiveJobs(page(completedJob, { ...completedJob, status: 'CANCELLED' }))).toBe(false);
    expect(hasActiveJobs(page(completedJob, { ...completedJob, status: 'FAILED' }))).toBe(false);
    expect(hasActiveJobs(page(completedJob, runningJob))).toBe(true);
    expect(hasActiveJobs(page({ ...runningJob, status: 'PREPARING' }))).toBe(true);
  });

  it('offers an OPERATOR to start a job', async () => {
    stubBatchJobsApi(tenantMember('OPERATOR'));
    const { user, router } = renderApp(jobsPage);

    await user.click(await screen.findByRole('link', { name: 'New batch job' }));

    expect(await screen.findByRole('button', { name: 'Start batch job' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/batch-jobs/new`);
  });
});
