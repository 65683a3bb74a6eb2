import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { roleTrust, staticTrust, stubTrustsApi, trustsPath } from './trusts.fixtures';

const editStatic = `/tenants/${TENANT_ID}/trusts/${staticTrust.id}/edit`;

describe('EditTrustPage', () => {
  it('opens from the trust’s page with its values, but not its secret', async () => {
    stubTrustsApi(tenantMember('ADMIN'));
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/trusts/${staticTrust.id}`);

    await user.click(await screen.findByRole('link', { name: 'Edit' }));

    expect(router.state.location.pathname).toBe(editStatic);
    expect(await screen.findByLabelText('Name')).toHaveValue('wasabi-backup');
    expect(screen.getByLabelText('Type')).toBeDisabled();
    expect(screen.getByLabelText('Type')).toHaveValue('STATIC');
    expect(screen.getByLabelText('Endpoint')).toHaveValue('https://s3.eu-central-1.wasabisys.com');
    expect(screen.getByLabelText('Path-style addressing')).toBeChecked();
    expect(screen.getByLabelText('Access key ID')).toHaveValue('AKIAWASABI0001');
    expect(screen.getByLabelText('Secret access key')).toHaveValue('');
  });

  it('keeps the stored secret when the secret is left empty', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'), {
      [`PUT ${trustsPath}/${staticTrust.id}`]: (request) =>
        json(200, { ...staticTrust, ...(request.body as object) }),
    });
    const { user, router } = renderApp(editStatic);

    const name = await screen.findByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'wasabi-archive');
    await user.clear(screen.getByLabelText('Endpoint'));
    await user.click(screen.getByRole('button', { name: 'Save trust' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/trusts/trust-1`),
    );
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({
      name: 'wasabi-archive',
      region: 'eu-central-1',
      pathStyle: true,
      accessKeyId: 'AKIAWASABI0001',
      compatibility: 'AUTO',
    });
    expect(await screen.findByText('Trust wasabi-archive')).toBeInTheDocument();
  });

  it('needs the secret of a new access key ID', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'), {
      [`PUT ${trustsPath}/${staticTrust.id}`]: () => json(200, staticTrust),
    });
    const { user } = renderApp(editStatic);

    const keyId = await screen.findByLabelText('Access key ID');
    await user.clear(keyId);
    await user.type(keyId, 'AKIAWASABI0002');
    await user.click(screen.getByRole('button', { name: 'Save trust' }));

    expect(await screen.findByText('Enter the secret of the new access key ID')).toBeVisible();
    expect(requests.some((request) => request.method === 'PUT')).toBe(false);

    await user.type(screen.getByLabelText('Secret access key'), 'n3w-s3cr3t');
    await user.click(screen.getByRole('button', { name: 'Save trust' }));

    await waitFor(() =>
      expect(requests.find((request) => request.method === 'PUT')?.body).toMatchObject({
        accessKeyId: 'AKIAWASABI0002',
        secretAccessKey: 'n3w-s3cr3t',
      }),
    );
  });

  it('saves an assumed role without a type', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'), {
      [`PUT ${trustsPath}/${roleTrust.id}`]: () => json(200, roleTrust),
    });
    const { user } = renderApp(`/tenants/${TENANT_ID}/trusts/${roleTrust.id}/edit`);

    expect(await screen.findByLabelText('Type')).toHaveValue('ASSUME_ROLE');
    expect(screen.queryByLabelText('Secret access key')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('STS endpoint'), 'https://sts.eu-west-1.amazonaws.com');
    await user.click(screen.getByRole('button', { name: 'Save trust' }));

    await waitFor(() =>
      expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({
        name: 'prod-account',
        region: 'us-east-1',
        pathStyle: false,
        roleArn: 'arn:aws:iam::123456789012:role/replicator',
        stsEndpoint: 'https://sts.eu-west-1.amazonaws.com',
        compatibility: 'AWS',
      }),
    );
  });

  it('offers a VIEWER no form', async () => {
    stubTrustsApi(tenantMember('VIEWER'));
    renderApp(editStatic);

    expect(await screen.findByText('Only a tenant ADMIN may edit trusts.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save trust' })).not.toBeInTheDocument();
  });
});
