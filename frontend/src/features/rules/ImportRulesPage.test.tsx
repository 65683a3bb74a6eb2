import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { logsRule, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const importPage = `/tenants/${TENANT_ID}/rules/import`;

const configuration = {
  Role: 'arn:aws:iam::123456789012:role/s3-replication',
  Rules: [
    {
      ID: 'photos-to-replicas',
      Priority: 10,
      Status: 'Enabled',
      Filter: { Prefix: 'raw/' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      Destination: { Bucket: 'arn:aws:s3:::photos-replica', StorageClass: 'STANDARD_IA' },
    },
    {
      ID: 'photos-dr',
      Priority: 20,
      Status: 'Enabled',
      Filter: {},
      DeleteMarkerReplication: { Status: 'Enabled' },
      Destination: { Bucket: 'arn:aws:s3:::photos.dr' },
    },
    {
      ID: 'photos-dr-thumbs',
      Priority: 30,
      Status: 'Disabled',
      Filter: { Prefix: 'thumbs/' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      Destination: { Bucket: 'arn:aws:s3:::photos.dr' },
    },
  ],
};

async function fillSource(user: ReturnType<typeof renderApp>['user']) {
  await user.selectOptions(await screen.findByLabelText('Source trust'), 'prod-account');
  await user.type(screen.getByLabelText('Source bucket'), 'photos');
}

async function paste(user: ReturnType<typeof renderApp>['user'], text: string) {
  await user.click(screen.getByLabelText('Replication configuration (JSON)'));
  await user.paste(text);
}

describe('ImportRulesPage', () => {
  it('imports the output of get-bucket-replication with a trust per destination bucket', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}/import`]: () => json(201, { items: [photosRule, logsRule] }),
    });
    const { user, router } = renderApp(importPage);

    await fillSource(user);
    expect(screen.getByText(/Paste the configuration above/)).toBeInTheDocument();
    await paste(user, JSON.stringify({ ReplicationConfiguration: configuration }, null, 2));

    expect(screen.getByTestId('import-summary')).toHaveTextContent(
      '3 rules, 2 destination buckets.',
    );
    const replica = screen.getByLabelText('arn:aws:s3:::photos-replica');
    const dr = screen.getByLabelText('arn:aws:s3:::photos.dr');
    expect(replica).toHaveValue('');
    await user.selectOptions(replica, 'wasabi-backup');
    await user.selectOptions(dr, 'prod-account');
    await user.click(screen.getByRole('button', { name: 'Import rules' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/rules`));
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      source: { trustId: 'trust-2', bucket: 'photos' },
      destinationTrusts: {
        'arn:aws:s3:::photos-replica': 'trust-1',
        'arn:aws:s3:::photos.dr': 'trust-2',
      },
      configuration,
    });
    expect(await screen.findByTestId('import-result')).toHaveTextContent(
      'Created 2 rules from the AWS replication configuration.',
    );
  });

  it('takes the bare {Role, Rules} document too, and needs a trust for every bucket', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}/import`]: () => json(201, { items: [photosRule] }),
    });
    const { user } = renderApp(importPage);

    await fillSource(user);
    await paste(user, JSON.stringify(configuration));
    await user.selectOptions(screen.getByLabelText('arn:aws:s3:::photos.dr'), 'prod-account');
    await user.click(screen.getByRole('button', { name: 'Import rules' }));

    expect(screen.getByLabelText('arn:aws:s3:::photos-replica')).toHaveAccessibleDescription(
      'Choose the trust that reaches this bucket',
    );
    expect(requests.some((request) => request.method === 'POST')).toBe(false);

    await user.selectOptions(screen.getByLabelText('arn:aws:s3:::photos-replica'), 'wasabi-backup');
    await user.click(screen.getByRole('button', { name: 'Import rules' }));

    await waitFor(() =>
      expect(requests.find((request) => request.method === 'POST')?.body).toMatchObject({
        configuration,
      }),
    );
  });

  it('shows a JSON error before calling the server', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'));
    const { user } = renderApp(importPage);

    await fillSource(user);
    await paste(user, '{"ReplicationConfiguration": {"Rules": [}');

    const textarea = screen.getByLabelText('Replication configuration (JSON)');
    expect(textarea).toHaveAttribute('aria-invalid', 'true');
    expect(textarea).toHaveAccessibleDescription(expect.stringContaining('Not valid JSON'));
    expect(screen.queryByTestId('import-summary')).not.toBeInTheDocument();

    await user.clear(textarea);
    await paste(user, '{"Role": "arn:aws:iam::1:role/r"}');
    expect(textarea).toHaveAccessibleDescription(expect.stringContaining('No "Rules" list found'));

    await user.click(screen.getByRole('button', { name: 'Import rules' }));
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('shows the server’s refusal with its field errors', async () => {
    stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}/import`]: () =>
        problem(
          400,
          'The replication configuration is invalid; no rule was imported.',
          'Bad Request',
          [
            { field: 'configuration.Rules[2].Filter', message: 'must not set both Prefix and And' },
            { field: 'source.bucket', message: 'has versioning suspended' },
            {
              field: 'destinationTrusts[arn:aws:s3:::photos.dr]',
              message: 'cannot reach the bucket',
            },
          ],
        ),
    });
    const { user, router } = renderApp(importPage);

    await fillSource(user);
    await paste(user, JSON.stringify(configuration));
    await user.selectOptions(screen.getByLabelText('arn:aws:s3:::photos-replica'), 'wasabi-backup');
    await user.selectOptions(screen.getByLabelText('arn:aws:s3:::photos.dr'), 'prod-account');
    await user.click(screen.getByRole('button', { name: 'Import rules' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The replication configuration is invalid; no rule was imported.',
    );
    expect(alert).toHaveTextContent(
      'configuration.Rules[2].Filter: must not set both Prefix and And',
    );
    expect(alert).not.toHaveTextContent('has versioning suspended');
    expect(screen.getByLabelText('Source bucket')).toHaveAccessibleDescription(
      expect.stringContaining('has versioning suspended'),
    );
    expect(screen.getByLabelText('arn:aws:s3:::photos.dr')).toHaveAccessibleDescription(
      'cannot reach the bucket',
    );
    expect(router.state.location.pathname).toBe(importPage);
  });

  it.each(['VIEWER', 'OPERATOR'] as const)('offers a %s no form', async (role) => {
    stubRulesApi(tenantMember(role));
    renderApp(importPage);

    expect(await screen.findByText('Only a tenant ADMIN may import rules.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import rules' })).not.toBeInTheDocument();
  });
});
