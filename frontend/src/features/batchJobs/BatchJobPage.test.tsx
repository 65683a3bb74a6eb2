import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { batchJobsPath, completedJob, runningJob, stubBatchJobsApi } from './batchJobs.fixtures';

const runningPage = `/tenants/${TENANT_ID}/batch-jobs/${runningJob.id}`;
const completedPage = `/tenants/${TENANT_ID}/batch-jobs/${completedJob.id}`;
const runningPath = `${batchJobsPath}/${runningJob.id}`;

function detail(table: HTMLElement, label: string) {
  return within(table).getByRole('rowheader', { name: label }).closest('tr')!;
}

describe('BatchJobPage', () => {
  it('shows progress, counts, and what the job replicates', async () => {
    stubBatchJobsApi(tenantMember('VIEWER'));
    renderApp(runningPage);

    expect(await screen.findByText('Batch job Backfill 2025 photos')).toBeInTheDocument();
    const counts = screen.getByTestId('batch-job-counts');
    expect(detail(counts, 'Total')).toHaveTextContent('40');
    expect(detail(counts, 'Pending')).toHaveTextContent('10');
    expect(detail(counts, 'Succeeded')).toHaveTextContent('25');
    expect(detail(counts, 'Failed')).toHaveTextContent('3');
    expect(detail(counts, 'Skipped')).toHaveTextContent('2');
    expect(screen.getByText('30 of 40 tasks finished')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Succeeded' })).toHaveAttribute(
      'aria-valuenow',
      '62.5',
    );
    expect(screen.getByRole('progressbar', { name: 'Failed' })).toHaveAttribute(
      'aria-valuenow',
      '7.5',
    );

    const details = screen.getByTestId('batch-job-details');
    expect(detail(details, 'Status')).toHaveTextContent('RUNNING');
    expect(
      await within(detail(details, 'Rule')).findByRole('link', { name: 'photos-to-replicas' }),
    ).toHaveAttribute('href', `/tenants/${TENANT_ID}/rules/rule-1`);
    expect(detail(details, 'Objects')).toHaveTextContent('Generated from the filter');
    expect(detail(details, 'Replication statuses')).toHaveTextContent('NONE, FAILED');
    expect(detail(details, 'Created before')).toHaveTextContent('Any time');
    expect(detail(details, 'Prefix')).toHaveTextContent('raw/2025/');
    expect(detail(details, 'Destinations')).toHaveTextContent('photos-dr');
    expect(detail(details, 'Completion report')).toHaveTextContent(
      'Failed tasks only, to prod-account / reports/batch/',
    );
    expect(detail(details, 'Report location')).toHaveTextContent('Written when the job ends');
    expect(detail(details, 'Created')).toHaveTextContent('by ada@example.com');
    expect(detail(details, 'Completed')).toHaveTextContent('Not yet');

    // Failed tasks lead to the rule's failed objects.
    expect(screen.getByRole('link', { name: 'failed objects of the rule' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/rule-1?objectStatus=FAILED#objects`,
    );
    expect(
      screen.getByText(/Building the manifest: listing the source bucket/),
    ).toBeInTheDocument();
    // Reading is for everyone; cancelling is not.
    expect(screen.getByRole('button', { name: 'Download report (all tasks)' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
  });

  it('shows where the report was written, or why not', async () => {
    stubBatchJobsApi(tenantMember('VIEWER'), {
      [`GET ${runningPath}`]: () =>
        json(200, {
          ...runningJob,
          status: 'FAILED',
          statusDetail: 'Manifest line 3 has an empty key.',
          reportError: 'Access Denied writing to reports',
        }),
      [`GET ${batchJobsPath}/${completedJob.id}`]: () =>
        json(200, {
          ...completedJob,
          report: { trustId: 'trust-1', bucket: 'reports', prefix: null, scope: 'ALL_TASKS' },
          reportLocation: 's3://reports/job-2.csv',
        }),
    });
    const { router } = renderApp(runningPage);

    const details = await screen.findByTestId('batch-job-details');
    expect(detail(details, 'Status')).toHaveTextContent('FAILEDManifest line 3 has an empty key.');
    expect(detail(details, 'Report location')).toHaveTextContent(
      'Not written: Access Denied writing to reports',
    );

    await router.navigate(completedPage);

    await waitFor(() =>
      expect(detail(screen.getByTestId('batch-job-details'), 'Objects')).toHaveTextContent(
        'Uploaded CSV',
      ),
    );
    const written = screen.getByTestId('batch-job-details');
    expect(detail(written, 'Report location')).toHaveTextContent('s3://reports/job-2.csv');
    expect(detail(written, 'Completion report')).toHaveTextContent(
      'All tasks, to wasabi-backup / reports',
    );
    expect(detail(written, 'Destinations')).toHaveTextContent('logs-archive');
    // A manifest job has no filter to show.
    expect(
      within(written).queryByRole('rowheader', { name: 'Replication statuses' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'failed objects of the rule' }),
    ).not.toBeInTheDocument();
  });

  it('cancels a running job after confirmation', async () => {
    const requests = stubBatchJobsApi(tenantMember('OPERATOR'), {
      [`POST ${runningPath}/cancel`]: () =>
        json(202, { ...runningJob, status: 'CANCELLED', completedAt: '2026-03-07T09:10:00Z' }),
    });
    const { user } = renderApp(runningPage);

    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Backfill 2025 photos');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel job' }));

    await waitFor(() =>
      expect(detail(screen.getByTestId('batch-job-details'), 'Status')).toHaveTextContent(
        'CANCELLED',
      ),
    );
    const cancel = requests.find((request) => request.method === 'POST')!;
    expect(cancel.path).toBe(`${runningPath}/cancel`);
    expect(cancel.body).toBeUndefined();
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
  });

  it('shows a refused cancel as a problem', async () => {
    stubBatchJobsApi(tenantMember('ADMIN'), {
      [`POST ${runningPath}/cancel`]: () =>
        problem(409, 'Batch job job-1 has already ended (COMPLETED); there is nothing to cancel.'),
    });
    const { user } = renderApp(runningPage);

    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    await user.click(
      within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel job' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent('has already ended (COMPLETED)');
  });

  it('offers no cancel for a job that has ended', async () => {
    stubBatchJobsApi(tenantMember('OPERATOR'));
    renderApp(completedPage);

    expect(await screen.findByTestId('batch-job-details')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
  });

  describe('report download', () => {
    const saved: { name: string; href: string }[] = [];
    let blobs: Blob[];

    // jsdom has no object URLs. The stubs stay for the rest of this file (revoking runs on a timer).
    beforeEach(() => {
      saved.length = 0;
      blobs = [];
      Object.defineProperty(URL, 'createObjectURL', {
        configurable: true,
        value: (blob: Blob) => {
          blobs.push(blob);
          return `blob:report-${blobs.length}`;
        },
      });
      Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => {} });
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
        this: HTMLAnchorElement,
      ) {
        saved.push({ name: this.download, href: this.getAttribute('href') ?? '' });
      });
    });

    it('saves the failed tasks as a CSV file', async () => {
      const csv =
        'bucket,key,versionId,destinationBucket,status,failureReason\nphotos,raw/2025/a.jpg,v1,photos-dr,FAILED,AccessDenied\n';
      const requests = stubBatchJobsApi(tenantMember('VIEWER'), {
        [`GET ${runningPath}/report`]: () =>
          new Response(csv, { status: 200, headers: { 'Content-Type': 'text/csv' } }),
      });
      const { user } = renderApp(runningPage);

      await user.click(
        await screen.findByRole('button', { name: 'Download report (failed only)' }),
      );

      await waitFor(() =>
        expect(saved).toEqual([{ name: 'batch-job-job-1-report.csv', href: 'blob:report-1' }]),
      );
      expect(await blobs[0]!.text()).toBe(csv);
      const report = requests.find((request) => request.path === `${runningPath}/report`)!;
      expect(Object.fromEntries(report.searchParams)).toEqual({ scope: 'FAILED_TASKS_ONLY' });
      const fetchMock = vi.mocked(fetch);
      const init = fetchMock.mock.calls.find(([input]) => String(input).includes('/report'))![1]!;
      expect(init.credentials).toBe('same-origin');
      expect(new Headers(init.headers).get('Accept')).toContain('text/csv');
    });

    it('shows a refused download as a problem', async () => {
      stubBatchJobsApi(tenantMember('VIEWER'), {
        [`GET ${runningPath}/report`]: () => problem(404, 'Batch job job-1 not found.'),
      });
      const { user } = renderApp(runningPage);

      await user.click(await screen.findByRole('button', { name: 'Download report (all tasks)' }));

      expect(await screen.findByRole('alert')).toHaveTextContent('Batch job job-1 not found.');
      expect(saved).toEqual([]);
    });
  });

  it('polls while the job runs', async () => {
    let calls = 0;
    stubBatchJobsApi(tenantMember('VIEWER'), {
      [`GET ${runningPath}`]: () => {
        calls += 1;
        return json(
          200,
          calls === 1
            ? runningJob
            : {
                ...runningJob,
                status: 'COMPLETED',
                pending: 0,
                succeeded: 35,
                completedAt: '2026-03-07T09:20:00Z',
              },
        );
      },
    });
    renderApp(runningPage);

    const counts = await screen.findByTestId('batch-job-counts');
    expect(detail(counts, 'Succeeded')).toHaveTextContent('25');

    await waitFor(() => expect(detail(counts, 'Succeeded')).toHaveTextContent('35'));
    expect(detail(screen.getByTestId('batch-job-details'), 'Status')).toHaveTextContent(
      'COMPLETED',
    );
    expect(calls).toBe(2);
    expect(screen.getByRole('status', { name: /^Batch job updated/ })).toHaveTextContent(
      /^Updated (just now|\d+ s ago)$/,
    );
  });
});
