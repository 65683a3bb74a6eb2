import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { logsRule, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const editPhotos = `/tenants/${TENANT_ID}/rules/${photosRule.id}/edit`;

describe('EditRulePage', () => {
  it('opens from the rule’s page with all its settings', async () => {
    stubRulesApi(tenantMember('ADMIN'));
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/rules/${photosRule.id}`);

    await user.click(await screen.findByRole('link', { name: 'Edit' }));

    expect(router.state.location.pathname).toBe(editPhotos);
    expect(await screen.findByLabelText('Name')).toHaveValue('photos-to-replicas');
    expect(screen.getByLabelText('Priority')).toHaveValue(10);
    expect(screen.getByLabelText('Source trust')).toHaveValue('trust-2');
    expect(screen.getByLabelText('Source bucket')).toHaveValue('photos');
    expect(screen.getByLabelText('Prefix')).toHaveValue('raw/');
    expect(
      screen.getAllByLabelText('Tag key').map((input) => (input as HTMLInputElement).value),
    ).toEqual(['env', 'team']);
    const first = screen.getByRole('group', { name: 'Destination 1' });
    expect(within(first).getByLabelText('Destination trust')).toHaveValue('trust-1');
    expect(within(first).getByLabelText('Storage class')).toHaveValue('STANDARD_IA');
    expect(within(first).getByLabelText('Owner override')).toBeChecked();
    const second = screen.getByRole('group', { name: 'Destination 2' });
    expect(within(second).getByLabelText('Destination bucket')).toHaveValue('photos-dr');
    expect(within(second).getByLabelText('Storage class')).toHaveValue('');
    expect(within(second).getByLabelText('KMS key ID')).toHaveValue('');
    expect(screen.getByLabelText('Replicate delete markers')).toBeDisabled();
    expect(screen.getByLabelText('Replication time control')).toBeChecked();
    expect(screen.getByLabelText('Threshold (minutes)')).toHaveValue(15);
  });

  it('saves the whole rule', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`PUT ${rulesPath}/${photosRule.id}`]: (request) =>
        json(200, { ...photosRule, ...(request.body as object) }),
    });
    const { user, router } = renderApp(editPhotos);

    const second = await screen.findByRole('group', { name: 'Destination 2' });
    await user.click(within(second).getByRole('button', { name: 'Remove destination' }));
    expect(screen.getAllByTestId('destination-row')).toHaveLength(1);
    await user.clear(screen.getByLabelText('Prefix'));
    await user.click(screen.getByRole('button', { name: 'Save rule' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/rules/rule-1`),
    );
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({
      name: 'photos-to-replicas',
      status: 'ENABLED',
      priority: 10,
      source: { trustId: 'trust-2', bucket: 'photos' },
      filter: { tags: { env: 'prod', team: 'media' } },
      destinations: [
        {
          trustId: 'trust-1',
          bucket: 'photos-replica',
          storageClass: 'STANDARD_IA',
          ownerOverride: true,
          kmsKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/abcd-1234',
        },
      ],
      deleteMarkerReplication: false,
      replicaModifications: true,
      replicationTime: { enabled: true, thresholdMinutes: 15 },
      scanIntervalSeconds: 300,
    });
  });

  it('keeps a destination trust missing from the trusts list', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`PUT ${rulesPath}/${logsRule.id}`]: () =>
        problem(
          400,
          'Versioning is not enabled on source bucket logs. Enable versioning on the bucket, then enable the rule again.',
          'Bad Request',
        ),
    });
    const { user } = renderApp(`/tenants/${TENANT_ID}/rules/${logsRule.id}/edit`);

    expect(await screen.findByLabelText('Destination trust')).toHaveValue('trust-gone');
    await user.selectOptions(screen.getByLabelText('Status'), 'ENABLED');
    await user.click(screen.getByRole('button', { name: 'Save rule' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Versioning is not enabled on source bucket logs.',
    );
    expect(requests.find((request) => request.method === 'PUT')?.body).toMatchObject({
      status: 'ENABLED',
      filter: {},
      destinations: [
        {
          trustId: 'trust-gone',
          bucket: 'logs-archive',
          storageClass: 'DEEP_ARCHIVE',
          ownerOverride: false,
        },
      ],
      deleteMarkerReplication: true,
    });
  });

  it('offers a VIEWER no form', async () => {
    stubRulesApi(tenantMember('VIEWER'));
    renderApp(editPhotos);

    expect(await screen.findByText('Only a tenant ADMIN may edit rules.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save rule' })).not.toBeInTheDocument();
  });
});
