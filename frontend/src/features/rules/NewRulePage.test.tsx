import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const newRulePage = `/tenants/${TENANT_ID}/rules/new`;

const destination = (n: number) => screen.getByRole('group', { name: `Destination ${n}` });

describe('NewRulePage', () => {
  it('starts with the defaults and one destination', async () => {
    stubRulesApi(tenantMember('ADMIN'));
    renderApp(newRulePage);

    expect(await screen.findByLabelText('Name')).toHaveValue('');
    expect(screen.getByLabelText('Status')).toHaveValue('ENABLED');
    expect(screen.getByLabelText('Priority')).toHaveValue(0);
    const sourceTrust = screen.getByLabelText('Source trust');
    expect(sourceTrust).toHaveValue('');
    expect(
      within(sourceTrust)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Choose a trust', 'wasabi-backup', 'prod-account']);
    expect(screen.getAllByTestId('destination-row')).toHaveLength(1);
    expect(within(destination(1)).getByLabelText('Storage class')).toHaveValue('');
    expect(
      within(destination(1)).queryByRole('button', { name: 'Remove destination' }),
    ).not.toBeInTheDocument();
    expect(screen.getByLabelText('Replicate delete markers')).not.toBeChecked();
    expect(screen.getByLabelText('Replicate replica modifications')).not.toBeChecked();
    expect(screen.getByLabelText('Replication time control')).not.toBeChecked();
    expect(screen.queryByLabelText('Threshold (minutes)')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Scan interval (seconds)')).toHaveValue(300);
  });

  it('sends tags as an object and every destination, and opens the new rule', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}`]: () => json(201, photosRule),
    });
    const { user, router } = renderApp(newRulePage);

    await user.type(await screen.findByLabelText('Name'), 'photos-to-replicas');
    await user.clear(screen.getByLabelText('Priority'));
    await user.type(screen.getByLabelText('Priority'), '10');
    await user.selectOptions(screen.getByLabelText('Source trust'), 'prod-account');
    await user.type(screen.getByLabelText('Source bucket'), 'photos');
    await user.type(screen.getByLabelText('Prefix'), 'raw/');
    await user.click(screen.getByRole('button', { name: 'Add tag' }));
    await user.click(screen.getByRole('button', { name: 'Add tag' }));
    const [env, team] = screen.getAllByTestId('tag-row');
    await user.type(within(env!).getByLabelText('Tag key'), 'env');
    await user.type(within(env!).getByLabelText('Tag value'), 'prod');
    await user.type(within(team!).getByLabelText('Tag key'), 'team');
    await user.type(within(team!).getByLabelText('Tag value'), 'media');

    await user.selectOptions(within(destination(1)).getByLabelText('Destination trust'), 'trust-1');
    await user.type(within(destination(1)).getByLabelText('Destination bucket'), 'photos-replica');
    await user.selectOptions(within(destination(1)).getByLabelText('Storage class'), 'STANDARD_IA');
    await user.click(within(destination(1)).getByLabelText('Owner override'));
    await user.type(
      within(destination(1)).getByLabelText('KMS key ID'),
      'arn:aws:kms:eu-central-1:123456789012:key/abcd-1234',
    );
    await user.click(screen.getByRole('button', { name: 'Add destination' }));
    await user.selectOptions(
      within(destination(2)).getByLabelText('Destination trust'),
      'prod-account',
    );
    await user.type(within(destination(2)).getByLabelText('Destination bucket'), 'photos-dr');

    await user.click(screen.getByLabelText('Replicate replica modifications'));
    await user.click(screen.getByLabelText('Replication time control'));
    expect(screen.getByLabelText('Threshold (minutes)')).toHaveValue(15);
    await user.clear(screen.getByLabelText('Threshold (minutes)'));
    await user.type(screen.getByLabelText('Threshold (minutes)'), '30');
    await user.clear(screen.getByLabelText('Scan interval (seconds)'));
    await user.type(screen.getByLabelText('Scan interval (seconds)'), '600');
    await user.click(screen.getByRole('button', { name: 'Create rule' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/rules/rule-1`),
    );
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'photos-to-replicas',
      status: 'ENABLED',
      priority: 10,
      source: { trustId: 'trust-2', bucket: 'photos' },
      filter: { prefix: 'raw/', tags: { env: 'prod', team: 'media' } },
      destinations: [
        {
          trustId: 'trust-1',
          bucket: 'photos-replica',
          storageClass: 'STANDARD_IA',
          ownerOverride: true,
          kmsKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/abcd-1234',
        },
        { trustId: 'trust-2', bucket: 'photos-dr', ownerOverride: false },
      ],
      deleteMarkerReplication: false,
      replicaModifications: true,
      replicationTime: { enabled: true, thresholdMinutes: 30 },
      scanIntervalSeconds: 600,
    });
    expect(await screen.findByText('Rule photos-to-replicas')).toBeInTheDocument();
  });

  it('leaves out empty optional settings', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}`]: () => json(201, photosRule),
    });
    const { user } = renderApp(newRulePage);

    await user.type(await screen.findByLabelText('Name'), 'logs');
    await user.selectOptions(screen.getByLabelText('Status'), 'DISABLED');
    await user.selectOptions(screen.getByLabelText('Source trust'), 'wasabi-backup');
    await user.type(screen.getByLabelText('Source bucket'), 'logs');
    await user.selectOptions(screen.getByLabelText('Destination trust'), 'prod-account');
    await user.type(screen.getByLabelText('Destination bucket'), 'logs-archive');
    await user.click(screen.getByLabelText('Replicate delete markers'));
    await user.clear(screen.getByLabelText('Scan interval (seconds)'));
    await user.type(screen.getByLabelText('Scan interval (seconds)'), '0');
    await user.click(screen.getByRole('button', { name: 'Create rule' }));

    await waitFor(() =>
      expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
        name: 'logs',
        status: 'DISABLED',
        priority: 0,
        source: { trustId: 'trust-1', bucket: 'logs' },
        filter: {},
        destinations: [{ trustId: 'trust-2', bucket: 'logs-archive', ownerOverride: false }],
        deleteMarkerReplication: true,
        replicaModifications: false,
        replicationTime: { enabled: false, thresholdMinutes: 15 },
        scanIntervalSeconds: 0,
      }),
    );
  });

  it('adds and removes tag and destination rows', async () => {
    stubRulesApi(tenantMember('ADMIN'));
    const { user } = renderApp(newRulePage);

    await user.click(await screen.findByRole('button', { name: 'Add destination' }));
    await user.click(screen.getByRole('button', { name: 'Add destination' }));
    expect(screen.getAllByTestId('destination-row')).toHaveLength(3);
    await user.type(within(destination(2)).getByLabelText('Destination bucket'), 'second');
    await user.type(within(destination(3)).getByLabelText('Destination bucket'), 'third');
    await user.click(within(destination(2)).getByRole('button', { name: 'Remove destination' }));
    expect(screen.getAllByTestId('destination-row')).toHaveLength(2);
    expect(within(destination(2)).getByLabelText('Destination bucket')).toHaveValue('third');

    await user.click(screen.getByRole('button', { name: 'Add tag' }));
    await user.click(screen.getByRole('button', { name: 'Add tag' }));
    expect(screen.getAllByTestId('tag-row')).toHaveLength(2);
    await user.type(
      within(screen.getByRole('group', { name: 'Tag 2' })).getByLabelText('Tag key'),
      'team',
    );
    await user.click(
      within(screen.getByRole('group', { name: 'Tag 1' })).getByRole('button', {
        name: 'Remove tag',
      }),
    );
    expect(screen.getAllByTestId('tag-row')).toHaveLength(1);
    expect(screen.getByLabelText('Tag key')).toHaveValue('team');
    await user.click(screen.getByRole('button', { name: 'Remove tag' }));
    expect(screen.queryByTestId('tag-row')).not.toBeInTheDocument();
  });

  it('turns off delete marker replication while the filter has tags', async () => {
    stubRulesApi(tenantMember('ADMIN'));
    const { user } = renderApp(newRulePage);

    const deleteMarkers = await screen.findByLabelText('Replicate delete markers');
    await user.click(deleteMarkers);
    expect(deleteMarkers).toBeChecked();

    await user.click(screen.getByRole('button', { name: 'Add tag' }));

    expect(deleteMarkers).not.toBeChecked();
    expect(deleteMarkers).toBeDisabled();
    expect(deleteMarkers).toHaveAccessibleDescription(
      expect.stringContaining('AWS does not allow delete marker replication'),
    );

    await user.click(screen.getByRole('button', { name: 'Remove tag' }));
    expect(deleteMarkers).toBeEnabled();
  });

  it('checks the input before calling the server', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'));
    const { user } = renderApp(newRulePage);

    await user.click(await screen.findByRole('button', { name: 'Create rule' }));

    expect(await screen.findByText('Enter a name for the rule')).toBeInTheDocument();
    expect(screen.getByLabelText('Source trust')).toHaveAccessibleDescription('Choose a trust');
    expect(screen.getByLabelText('Source bucket')).toHaveAccessibleDescription(
      expect.stringContaining('Enter the name of the bucket'),
    );
    expect(screen.getByLabelText('Destination trust')).toHaveAccessibleDescription(
      'Choose a trust',
    );

    await user.selectOptions(screen.getByLabelText('Source trust'), 'prod-account');
    await user.type(screen.getByLabelText('Source bucket'), 'photos');
    await user.selectOptions(screen.getByLabelText('Destination trust'), 'prod-account');
    await user.type(screen.getByLabelText('Destination bucket'), 'photos');
    await user.click(screen.getByRole('button', { name: 'Add destination' }));
    await user.selectOptions(
      within(destination(2)).getByLabelText('Destination trust'),
      'prod-account',
    );
    await user.type(within(destination(2)).getByLabelText('Destination bucket'), 'photos');
    await user.click(screen.getByRole('button', { name: 'Add destination' }));
    await user.selectOptions(
      within(destination(3)).getByLabelText('Destination trust'),
      'wasabi-backup',
    );
    await user.type(within(destination(3)).getByLabelText('Destination bucket'), 'x');
    await user.click(screen.getByRole('button', { name: 'Add tag' }));
    await user.clear(screen.getByLabelText('Scan interval (seconds)'));
    await user.type(screen.getByLabelText('Scan interval (seconds)'), '10');
    await user.clear(screen.getByLabelText('Priority'));
    await user.click(screen.getByRole('button', { name: 'Create rule' }));

    expect(
      await within(destination(1)).findByText('A destination cannot be the source bucket'),
    ).toBeInTheDocument();
    expect(
      within(destination(2)).getByText('A destination cannot be the source bucket'),
    ).toBeInTheDocument();
    expect(within(destination(3)).getByLabelText('Destination bucket')).toHaveAccessibleDescription(
      'Enter a bucket name: 3 to 63 letters, digits, dots and hyphens',
    );
    expect(screen.getByLabelText('Tag key')).toHaveAccessibleDescription(
      'Enter the tag key, or remove the tag',
    );
    expect(screen.getByLabelText('Scan interval (seconds)')).toHaveAccessibleDescription(
      expect.stringContaining('Enter 0 (change events only), or 30 to 86400 seconds'),
    );
    expect(screen.getByLabelText('Priority')).toHaveAccessibleDescription(
      expect.stringContaining('Enter a whole number'),
    );
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('shows server field errors on their inputs and the rest in the alert', async () => {
    stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}`]: () =>
        problem(400, 'The request is invalid.', 'Bad Request', [
          { field: 'source.bucket', message: 'is not a bucket this trust can reach' },
          { field: 'destinations[1].trustId', message: 'is not a trust of this tenant' },
          { field: 'filter.tags', message: 'are limited to 10' },
          { field: 'deleteMarkerReplication', message: 'is not allowed with tags' },
          { field: 'priority', message: 'is already used by rule logs-archive' },
          { field: 'tenant', message: 'has too many rules' },
        ]),
    });
    const { user } = renderApp(newRulePage);

    await user.type(await screen.findByLabelText('Name'), 'photos');
    await user.selectOptions(screen.getByLabelText('Source trust'), 'prod-account');
    await user.type(screen.getByLabelText('Source bucket'), 'photos');
    await user.selectOptions(screen.getByLabelText('Destination trust'), 'wasabi-backup');
    await user.type(screen.getByLabelText('Destination bucket'), 'photos-replica');
    await user.click(screen.getByRole('button', { name: 'Add destination' }));
    await user.selectOptions(
      within(destination(2)).getByLabelText('Destination trust'),
      'prod-account',
    );
    await user.type(within(destination(2)).getByLabelText('Destination bucket'), 'photos-dr');
    await user.click(screen.getByRole('button', { name: 'Create rule' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The request is invalid.');
    expect(alert).toHaveTextContent('tenant: has too many rules');
    expect(alert).not.toHaveTextContent('is not a bucket this trust can reach');
    expect(alert).not.toHaveTextContent('is not a trust of this tenant');
    expect(screen.getByLabelText('Source bucket')).toHaveAccessibleDescription(
      expect.stringContaining('is not a bucket this trust can reach'),
    );
    expect(screen.getByLabelText('Source bucket')).toHaveAttribute('aria-invalid', 'true');
    expect(within(destination(2)).getByLabelText('Destination trust')).toHaveAccessibleDescription(
      'is not a trust of this tenant',
    );
    expect(within(destination(1)).getByLabelText('Destination trust')).not.toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByText('are limited to 10')).toBeInTheDocument();
    expect(screen.getByLabelText('Replicate delete markers')).toHaveAccessibleDescription(
      expect.stringContaining('is not allowed with tags'),
    );
    expect(screen.getByLabelText('Priority')).toHaveAccessibleDescription(
      expect.stringContaining('is already used by rule logs-archive'),
    );
  });

  it('shows the source versioning refusal in the alert', async () => {
    const refusal =
      'Versioning is not enabled on source bucket photos. Enable versioning on the bucket (S3 → bucket → Properties → Bucket Versioning), then create the rule again.';
    stubRulesApi(tenantMember('ADMIN'), {
      [`POST ${rulesPath}`]: () => problem(400, refusal, 'Source bucket not versioned'),
    });
    const { user, router } = renderApp(newRulePage);

    await user.type(await screen.findByLabelText('Name'), 'photos');
    await user.selectOptions(screen.getByLabelText('Source trust'), 'prod-account');
    await user.type(screen.getByLabelText('Source bucket'), 'photos');
    await user.selectOptions(screen.getByLabelText('Destination trust'), 'wasabi-backup');
    await user.type(screen.getByLabelText('Destination bucket'), 'photos-replica');
    await user.click(screen.getByRole('button', { name: 'Create rule' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Source bucket not versioned');
    expect(alert).toHaveTextContent(refusal);
    expect(router.state.location.pathname).toBe(newRulePage);
  });

  it('explains that rules need a trust', async () => {
    stubRulesApi(tenantMember('ADMIN'), {
      [`GET /api/v1/tenants/${TENANT_ID}/trusts`]: () => json(200, { items: [], nextCursor: null }),
    });
    renderApp(newRulePage);

    expect(await screen.findByRole('link', { name: 'Create a trust' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/trusts/new`,
    );
    expect(screen.queryByRole('button', { name: 'Create rule' })).not.toBeInTheDocument();
  });

  it('offers the form to tenant administrators only', async () => {
    stubRulesApi(tenantMember('VIEWER'));
    renderApp(newRulePage);

    expect(await screen.findByText('Only a tenant ADMIN may create rules.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create rule' })).not.toBeInTheDocument();
  });
});
