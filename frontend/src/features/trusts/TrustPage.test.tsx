import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../api/types';
import { json, noContent, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { roleTrust, staticTrust, stubTrustsApi, trustsPath } from './trusts.fixtures';

const staticPage = `/tenants/${TENANT_ID}/trusts/${staticTrust.id}`;
const rolePage = `/tenants/${TENANT_ID}/trusts/${roleTrust.id}`;

/** A response that should never come, to prove the page shows no secret even if one leaked. */
const LEAKED_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const needsAttention: VerificationReport = {
  bucket: 'photos',
  verifiedAt: '2026-03-03T09:00:00Z',
  ok: false,
  accountId: '123456789012',
  checks: [
    {
      name: 'assume-role',
      ok: true,
      state: 'PASSED',
      detail: 'Assumed the role in account 123456789012',
    },
    { name: 'bucket', ok: true, state: 'PASSED', detail: 'Bucket photos is in us-east-1' },
    {
      name: 'versioning',
      ok: false,
      state: 'FAILED',
      detail: 'Enable versioning on bucket photos',
    },
    {
      name: 'write',
      ok: false,
      state: 'FAILED',
      detail: 'Allow s3:PutObject on arn:aws:s3:::photos/*',
    },
  ],
};

describe('TrustPage', () => {
  it('shows an assumed role’s external ID and trust policy, ready to copy', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`GET ${trustsPath}/${roleTrust.id}`]: () =>
        json(200, { ...roleTrust, secretAccessKey: LEAKED_SECRET }),
    });
    const { user } = renderApp(rolePage);

    expect(await screen.findByTestId('external-id')).toHaveTextContent(/^rpl-ext-7f3a9c$/);
    const policy = screen.getByTestId('trust-policy');
    expect(JSON.parse(policy.textContent!)).toEqual(roleTrust.trustPolicy);
    const details = screen.getByTestId('trust-details');
    expect(within(details).getByText('arn:aws:iam::123456789012:role/replicator')).toBeVisible();
    expect(within(details).getByText('AWS S3 (us-east-1)')).toBeVisible();
    expect(within(details).getByText('AWS')).toBeVisible();
    expect(screen.queryByText(LEAKED_SECRET, { exact: false })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Copy external ID' }));
    expect(await navigator.clipboard.readText()).toBe('rpl-ext-7f3a9c');
    expect(screen.getByRole('button', { name: 'Copied external ID' })).toHaveTextContent('Copied');
    await user.click(screen.getByRole('button', { name: 'Copy trust policy' }));
    expect(JSON.parse(await navigator.clipboard.readText())).toEqual(roleTrust.trustPolicy);
  });

  it('explains why there is no trust policy', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`GET ${trustsPath}/${roleTrust.id}`]: () =>
        json(200, {
          ...roleTrust,
          trustPolicy: null,
          trustPolicyNote: 'Replicator runs without AWS credentials of its own.',
        }),
    });
    renderApp(rolePage);

    expect(await screen.findByTestId('trust-policy-note')).toHaveTextContent(
      'Replicator runs without AWS credentials of its own.',
    );
    expect(screen.queryByTestId('trust-policy')).not.toBeInTheDocument();
    expect(screen.getByTestId('external-id')).toHaveTextContent('rpl-ext-7f3a9c');
  });

  it('shows an access-key trust without its secret', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`GET ${trustsPath}/${staticTrust.id}`]: () =>
        json(200, { ...staticTrust, secretAccessKey: LEAKED_SECRET }),
    });
    renderApp(staticPage);

    const details = await screen.findByTestId('trust-details');
    expect(within(details).getByText('AKIAWASABI0001')).toBeVisible();
    expect(within(details).getByText('https://s3.eu-central-1.wasabisys.com')).toBeVisible();
    expect(within(details).getByText('Encrypted at rest, never shown')).toBeVisible();
    expect(screen.queryByText(LEAKED_SECRET, { exact: false })).not.toBeInTheDocument();
    expect(screen.queryByTestId('external-id')).not.toBeInTheDocument();
  });

  it('verifies a bucket and lists each check with what to fix', async () => {
    let answer: (response: Response) => void = () => {};
    const requests = stubTrustsApi(tenantMember('OPERATOR'), {
      [`POST ${trustsPath}/${roleTrust.id}/verify`]: () =>
        new Promise<Response>((resolve) => (answer = resolve)),
    });
    const { user } = renderApp(rolePage);

    await user.type(await screen.findByLabelText('Bucket'), ' photos ');
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Checking bucket photos');
    expect(screen.queryByTestId('verify-results')).not.toBeInTheDocument();
    answer(json(200, needsAttention));

    const results = await screen.findByTestId('verify-results');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      bucket: 'photos',
    });
    expect(within(results).getByText('Needs attention')).toBeVisible();
    expect(within(results).getByText('Account 123456789012')).toBeVisible();
    const rows = within(results).getAllByTestId('verify-check');
    expect(rows).toHaveLength(4);
    expect(rows[2]).toHaveTextContent('versioning');
    expect(rows[2]).toHaveTextContent('Enable versioning on bucket photos');
    expect(within(rows[2]!).getByRole('img', { name: 'Failed' })).toHaveTextContent('✗');
    expect(within(rows[0]!).getByRole('img', { name: 'Passed' })).toHaveTextContent('✓');
    expect(rows[3]).toHaveTextContent('Allow s3:PutObject on arn:aws:s3:::photos/*');
  });

  it('reports a bucket that passes every check as OK', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`POST ${trustsPath}/${staticTrust.id}/verify`]: () =>
        json(200, {
          bucket: 'backups',
          verifiedAt: '2026-03-03T09:00:00Z',
          ok: true,
          accountId: null,
          checks: [
            { name: 'versioning', ok: true, state: 'PASSED', detail: 'Versioning is enabled' },
          ],
        }),
    });
    const { user } = renderApp(staticPage);

    await user.type(await screen.findByLabelText('Bucket'), 'backups');
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    const results = await screen.findByTestId('verify-results');
    expect(within(results).getByText('OK')).toBeVisible();
    expect(within(results).queryByText('Needs attention')).not.toBeInTheDocument();
    expect(within(results).queryByText(/^Account/)).not.toBeInTheDocument();
    expect(within(results).getByRole('img', { name: 'Passed' })).toBeInTheDocument();
  });

  it('shows a check the store could not decide as not determined, not as failed', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`POST ${trustsPath}/${staticTrust.id}/verify`]: () =>
        json(200, {
          bucket: 'backups',
          verifiedAt: '2026-03-03T09:00:00Z',
          ok: true,
          accountId: null,
          checks: [
            {
              name: 'list',
              ok: true,
              state: 'PASSED',
              detail: 'Listing object versions is allowed',
            },
            {
              name: 'write',
              ok: true,
              state: 'UNDETERMINED',
              detail:
                'Not determined: the write probe got a server error (the service answered 500)',
            },
          ],
        }),
    });
    const { user } = renderApp(staticPage);

    await user.type(await screen.findByLabelText('Bucket'), 'backups');
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    const results = await screen.findByTestId('verify-results');
    expect(within(results).getByText('OK')).toBeVisible();
    expect(within(results).getByTestId('verify-undetermined')).toHaveTextContent(
      '1 check not determined',
    );
    const rows = within(results).getAllByTestId('verify-check');
    expect(within(rows[1]!).getByRole('img', { name: 'Not determined' })).toHaveTextContent('?');
    expect(within(results).queryByRole('img', { name: 'Failed' })).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('the service answered 500');
  });

  it('keeps each bucket’s newest verification, also for a VIEWER, and fetches them again after a verify', async () => {
    const requests = stubTrustsApi(tenantMember('OPERATOR'), {
      [`POST ${trustsPath}/${staticTrust.id}/verify`]: () => json(200, needsAttention),
    });
    const { user } = renderApp(staticPage);

    const history = await screen.findByTestId('verification-history');
    const kept = await within(history).findByTestId('kept-verify-results');
    expect(within(history).getByText('Verified')).toBeVisible();
    expect(within(kept).getByText('The access key is valid')).toBeVisible();
    expect(within(kept).getAllByTestId('verify-check')).toHaveLength(2);
    const keptFetches = () =>
      requests.filter((r) => r.path === `${trustsPath}/${staticTrust.id}/verifications`).length;
    expect(keptFetches()).toBe(1);

    await user.type(screen.getByLabelText('Bucket'), 'photos');
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    await screen.findByTestId('verify-results');
    await waitFor(() => expect(keptFetches()).toBe(2));
  });

  it('marks a kept verification made before the trust was edited', async () => {
    stubTrustsApi(tenantMember('VIEWER'), {
      [`GET ${trustsPath}/${staticTrust.id}`]: () =>
        json(200, { ...staticTrust, updatedAt: '2026-03-02T08:00:00.5Z' }),
    });
    renderApp(staticPage);

    const history = await screen.findByTestId('verification-history');
    expect(await within(history).findByText('Verified before the last edit')).toBeVisible();
    expect(within(history).queryByText('Verified')).not.toBeInTheDocument();
  });

  it('says when no bucket was verified yet', async () => {
    stubTrustsApi(tenantMember('VIEWER'));
    renderApp(rolePage);

    const history = await screen.findByTestId('verification-history');
    expect(
      await within(history).findByText('No bucket has been verified through this trust yet.'),
    ).toBeVisible();
  });

  it('asks for a bucket name before verifying', async () => {
    const requests = stubTrustsApi(tenantMember('OPERATOR'));
    const { user } = renderApp(staticPage);

    await user.click(await screen.findByRole('button', { name: 'Verify' }));

    expect(await screen.findByText('Enter the name of a bucket')).toBeInTheDocument();
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('offers a VIEWER no controls that change or probe anything', async () => {
    stubTrustsApi(tenantMember('VIEWER'));
    renderApp(rolePage);

    expect(await screen.findByTestId('external-id')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Bucket')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Verify' })).not.toBeInTheDocument();
  });

  it('lets an OPERATOR verify but not edit or delete', async () => {
    stubTrustsApi(tenantMember('OPERATOR'));
    renderApp(staticPage);

    expect(await screen.findByRole('button', { name: 'Verify' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('deletes the trust after confirmation and returns to the list', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'), {
      [`DELETE ${trustsPath}/${staticTrust.id}`]: () => noContent(),
    });
    const { user, router } = renderApp(staticPage);

    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('wasabi-backup');
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/trusts`),
    );
    expect(requests.some((request) => request.method === 'DELETE')).toBe(true);
  });

  it('shows why a trust in use cannot be deleted', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`DELETE ${trustsPath}/${staticTrust.id}`]: () =>
        problem(409, 'Replication rules nightly-photos still use this trust.', 'Conflict'),
    });
    const { user, router } = renderApp(staticPage);

    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await user.click(
      within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Replication rules nightly-photos still use this trust.',
    );
    expect(router.state.location.pathname).toBe(staticPage);
  });
});
