import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { photosRule } from '../rules/rules.fixtures';
import { batchJobsPath, completedJob, runningJob, stubBatchJobsApi } from './batchJobs.fixtures';

const newJobPage = `/tenants/${TENANT_ID}/batch-jobs/new`;

type User = ReturnType<typeof renderApp>['user'];

/** datetime-local inputs take their whole value at once, as a browser's picker sets it. */
function setDateTime(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

const posted = (requests: ReturnType<typeof stubBatchJobsApi>) =>
  requests.find((request) => request.method === 'POST' && request.path === batchJobsPath);

async function chooseManifestFile(user: User, text: string, name = 'manifest.csv') {
  await user.upload(
    screen.getByLabelText('Manifest CSV file'),
    new File([text], name, { type: 'text/csv' }),
  );
}

describe('NewBatchJobPage', () => {
  it('starts a filter job for the rule it was opened from, and opens the job', async () => {
    const requests = stubBatchJobsApi(tenantMember('OPERATOR'), {
      [`POST ${batchJobsPath}`]: () => json(201, runningJob),
    });
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/rules/${photosRule.id}`);

    await user.click(await screen.findByRole('link', { name: 'Replicate existing objects' }));

    expect(router.state.location.search).toBe('?ruleId=rule-1');
    expect(await screen.findByLabelText('Rule')).toHaveValue('rule-1');
    expect(screen.getByLabelText('Filter (generate manifest)')).toBeChecked();
    const statuses = screen.getByRole('group', { name: 'Replication statuses' });
    expect(within(statuses).getByLabelText('NONE')).toBeChecked();
    expect(within(statuses).getByLabelText('NONE')).toHaveAccessibleDescription(
      'Never replicated by this rule, e.g. written before the rule existed.',
    );
    expect(within(statuses).getByLabelText('REPLICA')).toHaveAccessibleDescription(
      'Objects that are themselves replicas, which live replication never copies.',
    );

    await user.type(screen.getByLabelText('Description'), '  Backfill 2025 photos ');
    await user.click(within(statuses).getByLabelText('COMPLETED'));
    await user.click(within(statuses).getByLabelText('FAILED'));
    setDateTime('Created after', '2025-01-01T00:00');
    setDateTime('Created before', '2026-01-01T12:30');
    await user.type(screen.getByLabelText('Prefix'), 'raw/2025/');
    await user.click(screen.getByRole('textbox', { name: 'Destination buckets' }));
    await user.click(await screen.findByRole('option', { name: 'photos-dr' }));
    await user.click(screen.getByLabelText('Write a completion report to a bucket'));
    await user.selectOptions(screen.getByLabelText('Report trust'), 'prod-account');
    await user.type(screen.getByLabelText('Report bucket'), 'reports');
    await user.type(screen.getByLabelText('Report prefix'), 'batch/');
    await user.selectOptions(screen.getByLabelText('Report scope'), 'Failed tasks only');
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/batch-jobs/job-1`),
    );
    expect(posted(requests)?.body).toEqual({
      ruleId: 'rule-1',
      description: 'Backfill 2025 photos',
      filter: {
        replicationStatuses: ['NONE', 'FAILED', 'COMPLETED'],
        createdAfter: new Date('2025-01-01T00:00').toISOString(),
        createdBefore: new Date('2026-01-01T12:30').toISOString(),
        prefix: 'raw/2025/',
      },
      destinations: ['photos-dr'],
      report: {
        trustId: 'trust-2',
        bucket: 'reports',
        prefix: 'batch/',
        scope: 'FAILED_TASKS_ONLY',
      },
    });
    expect(await screen.findByText('Batch job Backfill 2025 photos')).toBeInTheDocument();
  });

  it('uploads a manifest CSV as text, for all destinations', async () => {
    const csv = 'logs,2026/03/01/app.log,v1\nlogs,2026/03/02/app%20old.log\n';
    const requests = stubBatchJobsApi(tenantMember('ADMIN'), {
      [`POST ${batchJobsPath}`]: () => json(201, completedJob),
    });
    const { user, router } = renderApp(newJobPage);

    const rule = await screen.findByLabelText('Rule');
    expect(rule).toHaveValue('');
    await user.selectOptions(rule, 'logs-archive (disabled)');
    await user.click(screen.getByLabelText('Manifest CSV upload'));
    expect(screen.queryByRole('group', { name: 'Replication statuses' })).not.toBeInTheDocument();
    await chooseManifestFile(user, csv);
    expect(screen.getByText('manifest.csv')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/batch-jobs/job-2`),
    );
    expect(posted(requests)?.body).toEqual({ ruleId: 'rule-2', manifest: { csv } });
  });

  it('reads a manifest from a bucket', async () => {
    const requests = stubBatchJobsApi(tenantMember('OPERATOR'), {
      [`POST ${batchJobsPath}`]: () => json(201, runningJob),
    });
    const { user } = renderApp(`${newJobPage}?ruleId=rule-1`);

    await user.click(await screen.findByLabelText('Manifest in a bucket'));
    await user.selectOptions(screen.getByLabelText('Manifest trust'), 'wasabi-backup');
    await user.type(screen.getByLabelText('Manifest bucket'), 'manifests');
    await user.type(screen.getByLabelText('Manifest key'), 'photos/2025.csv');
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));

    await waitFor(() =>
      expect(posted(requests)?.body).toEqual({
        ruleId: 'rule-1',
        manifest: { trustId: 'trust-1', bucket: 'manifests', key: 'photos/2025.csv' },
      }),
    );
  });

  it('checks the input before calling the server', async () => {
    const requests = stubBatchJobsApi(tenantMember('OPERATOR'));
    const { user } = renderApp(newJobPage);

    const statuses = await screen.findByRole('group', { name: 'Replication statuses' });
    await user.click(within(statuses).getByLabelText('NONE'));
    setDateTime('Created after', '2026-02-01T10:00');
    setDateTime('Created before', '2026-01-01T10:00');
    await user.click(screen.getByLabelText('Write a completion report to a bucket'));
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));

    expect(await screen.findByText('Choose at least one replication status')).toBeInTheDocument();
    expect(screen.getByLabelText('Rule')).toHaveAccessibleDescription(
      expect.stringContaining('Choose a rule'),
    );
    expect(screen.getByLabelText('Created before')).toHaveAccessibleDescription(
      expect.stringContaining('Must be later than "Created after"'),
    );
    expect(screen.getByLabelText('Report trust')).toHaveAccessibleDescription(
      expect.stringContaining('Choose a trust'),
    );
    expect(screen.getByLabelText('Report bucket')).toHaveAccessibleDescription(
      expect.stringContaining('Enter the name of the bucket'),
    );

    await user.click(screen.getByLabelText('Manifest CSV upload'));
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));
    expect(await screen.findByText('Choose the manifest CSV file')).toBeInTheDocument();

    await chooseManifestFile(user, 'x'.repeat(10 * 1024 * 1024 + 1), 'huge.csv');
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));
    expect(
      await screen.findByText(/The manifest is larger than 10 MB: put it in a bucket/),
    ).toBeInTheDocument();

    await user.click(screen.getByLabelText('Manifest in a bucket'));
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));
    expect(await screen.findByText('Enter the key of the manifest object')).toBeInTheDocument();
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('shows server field errors on their inputs and the rest in the alert', async () => {
    stubBatchJobsApi(tenantMember('OPERATOR'), {
      [`POST ${batchJobsPath}`]: () =>
        problem(400, 'The batch job is invalid.', 'Bad Request', [
          { field: 'manifest.csv', message: 'line 2 has an empty key' },
          {
            field: 'manifest.csv',
            message: "line 3 names bucket 'logs', not the rule's source bucket 'photos'",
          },
          { field: 'create.request.description', message: 'size must be between 0 and 1000' },
          { field: 'filter.prefix', message: 'is not shown in this mode' },
          { field: 'tenant', message: 'has too many running jobs' },
        ]),
    });
    const { user, router } = renderApp(`${newJobPage}?ruleId=rule-1`);

    await user.type(await screen.findByLabelText('Description'), 'Retry');
    await user.click(screen.getByLabelText('Manifest CSV upload'));
    await chooseManifestFile(user, 'photos,a.jpg\nphotos,\nlogs,b.log\n');
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The batch job is invalid.');
    expect(alert).toHaveTextContent('tenant: has too many running jobs');
    expect(alert).toHaveTextContent('filter.prefix: is not shown in this mode');
    expect(alert).not.toHaveTextContent('line 2 has an empty key');
    expect(alert).not.toHaveTextContent('size must be between 0 and 1000');
    expect(
      screen.getByText(
        "line 2 has an empty key; line 3 names bucket 'logs', not the rule's source bucket 'photos'",
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Description')).toHaveAccessibleDescription(
      expect.stringContaining('size must be between 0 and 1000'),
    );
    expect(router.state.location.pathname).toBe(newJobPage);
  });

  it('shows a filter field error from the server on its input', async () => {
    stubBatchJobsApi(tenantMember('OPERATOR'), {
      [`POST ${batchJobsPath}`]: () =>
        problem(400, 'The batch job is invalid.', 'Bad Request', [
          {
            field: 'filter.prefix',
            message: "selects no object of the rule, whose filter prefix is 'raw/'",
          },
        ]),
    });
    const { user } = renderApp(`${newJobPage}?ruleId=rule-1`);

    await user.type(await screen.findByLabelText('Prefix'), 'thumbs/');
    await user.click(screen.getByRole('button', { name: 'Start batch job' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Prefix')).toHaveAccessibleDescription(
        expect.stringContaining("selects no object of the rule, whose filter prefix is 'raw/'"),
      ),
    );
    expect(screen.getByLabelText('Prefix')).toHaveAttribute('aria-invalid', 'true');
  });

  it('offers a VIEWER no form', async () => {
    stubBatchJobsApi(tenantMember('VIEWER'));
    renderApp(newJobPage);

    expect(
      await screen.findByText('Only a tenant OPERATOR or ADMIN may start batch jobs.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start batch job' })).not.toBeInTheDocument();
  });
});
