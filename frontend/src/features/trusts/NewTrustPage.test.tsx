import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { roleTrust, staticTrust, stubTrustsApi, trustsPath } from './trusts.fixtures';

const newTrustPage = `/tenants/${TENANT_ID}/trusts/new`;

describe('NewTrustPage', () => {
  it('shows the fields of the chosen type', async () => {
    stubTrustsApi(tenantMember('ADMIN'));
    const { user } = renderApp(newTrustPage);

    expect(await screen.findByLabelText('Name')).toHaveValue('');
    expect(screen.getByLabelText('Region')).toHaveValue('us-east-1');
    expect(screen.getByLabelText('Endpoint')).toHaveAccessibleDescription(
      'Leave empty for AWS S3. For MinIO, Ceph, R2, Wasabi, B2: the S3 API URL, e.g. https://s3.eu-central-1.wasabisys.com',
    );
    expect(screen.getByLabelText('Path-style addressing')).not.toBeChecked();
    expect(screen.getByLabelText('Compatibility')).toHaveValue('AUTO');
    expect(screen.getByLabelText('Compatibility')).toHaveAccessibleDescription(
      /^AUTO treats endpoints other than AWS as S3-compatible/,
    );
    expect(screen.getByLabelText('Type')).toHaveValue('STATIC');
    expect(screen.getByLabelText('Access key ID')).toBeInTheDocument();
    expect(screen.getByLabelText('Secret access key')).toHaveAttribute('type', 'password');
    expect(screen.queryByLabelText('Role ARN')).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Type'), 'ASSUME_ROLE');

    expect(screen.getByLabelText('Role ARN')).toHaveAttribute(
      'placeholder',
      'arn:aws:iam::123456789012:role/replicator',
    );
    expect(screen.getByLabelText('STS endpoint')).toBeInTheDocument();
    expect(screen.queryByLabelText('Access key ID')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Secret access key')).not.toBeInTheDocument();
  });

  it('checks the input before calling the server', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'));
    const { user } = renderApp(newTrustPage);

    await user.type(await screen.findByLabelText('Endpoint'), 'ftp://minio.local');
    await user.clear(screen.getByLabelText('Region'));
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    expect(await screen.findByText('Enter a name for the trust')).toBeInTheDocument();
    expect(screen.getByText('Enter an http:// or https:// URL')).toBeInTheDocument();
    expect(screen.getByText(/^Enter the region/)).toBeInTheDocument();
    expect(screen.getByText('Enter the access key ID')).toBeInTheDocument();
    expect(screen.getByText('Enter the secret access key')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Type'), 'ASSUME_ROLE');
    await user.type(screen.getByLabelText('Role ARN'), 'arn:aws:iam::123:role/x');
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    expect(await screen.findByText(/^Enter a role ARN such as/)).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Endpoint'));
    await user.type(screen.getByLabelText('Endpoint'), 'https://minio.example.com/photos');
    await user.type(screen.getByLabelText('Region'), 'EU-West');
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    expect(
      await screen.findByText('Enter the base URL without a path, e.g. https://s3.example.com'),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Use lower case letters, digits and dashes/)).toBeInTheDocument();
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('creates an access-key trust and opens it', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'), {
      [`POST ${trustsPath}`]: () => json(201, staticTrust),
    });
    const { user, router } = renderApp(newTrustPage);

    await user.type(await screen.findByLabelText('Name'), 'wasabi-backup');
    await user.type(screen.getByLabelText('Endpoint'), 'https://s3.eu-central-1.wasabisys.com');
    await user.clear(screen.getByLabelText('Region'));
    await user.type(screen.getByLabelText('Region'), 'eu-central-1');
    await user.click(screen.getByLabelText('Path-style addressing'));
    await user.type(screen.getByLabelText('Access key ID'), 'AKIAWASABI0001');
    await user.type(screen.getByLabelText('Secret access key'), 's3cr3t/key');
    await user.selectOptions(screen.getByLabelText('Compatibility'), 'S3_COMPATIBLE');
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/trusts/trust-1`),
    );
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'wasabi-backup',
      type: 'STATIC',
      endpoint: 'https://s3.eu-central-1.wasabisys.com',
      region: 'eu-central-1',
      pathStyle: true,
      accessKeyId: 'AKIAWASABI0001',
      secretAccessKey: 's3cr3t/key',
      compatibility: 'S3_COMPATIBLE',
    });
    expect(await screen.findByText('Trust wasabi-backup')).toBeInTheDocument();
    expect(screen.queryByText('s3cr3t/key')).not.toBeInTheDocument();
  });

  it('creates an assume-role trust and shows its trust policy', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'), {
      [`POST ${trustsPath}`]: () => json(201, roleTrust),
    });
    const { user } = renderApp(newTrustPage);

    await user.type(await screen.findByLabelText('Name'), 'prod-account');
    await user.selectOptions(screen.getByLabelText('Type'), 'ASSUME_ROLE');
    await user.type(screen.getByLabelText('Role ARN'), 'arn:aws:iam::123456789012:role/replicator');
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    expect(await screen.findByTestId('external-id')).toHaveTextContent('rpl-ext-7f3a9c');
    expect(screen.getByTestId('trust-policy')).toHaveTextContent('sts:AssumeRole');
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'prod-account',
      type: 'ASSUME_ROLE',
      region: 'us-east-1',
      pathStyle: false,
      roleArn: 'arn:aws:iam::123456789012:role/replicator',
      compatibility: 'AUTO',
    });
  });

  it('shows the endpoint guard’s refusal on the field and in the alert', async () => {
    // As the server sends it: ApiException.invalidField("endpoint", ...).
    const refusal =
      'is refused by the endpoint guard: the host 10.0.0.5 is a private address. Tenant endpoints may only reach public addresses; an operator can allow an internal range with REPLICATOR_ALLOWED_ENDPOINT_CIDRS (e.g. 10.0.0.0/8)';
    stubTrustsApi(tenantMember('ADMIN'), {
      [`POST ${trustsPath}`]: () =>
        problem(400, `The request is invalid: endpoint ${refusal}.`, 'Bad Request', [
          { field: 'endpoint', message: refusal },
        ]),
    });
    const { user } = renderApp(newTrustPage);

    await user.type(await screen.findByLabelText('Name'), 'minio');
    await user.type(screen.getByLabelText('Endpoint'), 'https://10.0.0.5:9000');
    await user.type(screen.getByLabelText('Access key ID'), 'minio');
    await user.type(screen.getByLabelText('Secret access key'), 'minio123');
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Bad Request');
    expect(alert).toHaveTextContent('REPLICATOR_ALLOWED_ENDPOINT_CIDRS');
    expect(within(alert).queryByRole('list')).not.toBeInTheDocument();
    // Mantine ties an input's error to it through aria-describedby.
    const endpoint = screen.getByLabelText('Endpoint');
    expect(endpoint).toHaveAttribute('aria-invalid', 'true');
    expect(endpoint).toHaveAccessibleDescription(expect.stringContaining(refusal));
  });

  it('puts each server field error on its field, and the unknown ones in the alert', async () => {
    stubTrustsApi(tenantMember('ADMIN'), {
      [`POST ${trustsPath}`]: () =>
        problem(400, 'The request is invalid.', 'Bad Request', [
          { field: 'create.request.roleArn', message: 'must be an IAM role ARN' },
          { field: 'name', message: 'must not contain control characters' },
          { field: 'body', message: 'has too many trusts' },
        ]),
    });
    const { user } = renderApp(newTrustPage);

    await user.type(await screen.findByLabelText('Name'), 'prod');
    await user.selectOptions(screen.getByLabelText('Type'), 'ASSUME_ROLE');
    await user.type(screen.getByLabelText('Role ARN'), 'arn:aws:iam::123456789012:role/r');
    await user.click(screen.getByRole('button', { name: 'Create trust' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('body: has too many trusts');
    expect(alert).not.toHaveTextContent('must be an IAM role ARN');
    expect(alert).not.toHaveTextContent('control characters');
    expect(screen.getByLabelText('Role ARN')).toHaveAccessibleDescription(
      expect.stringContaining('must be an IAM role ARN'),
    );
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
      'must not contain control characters',
    );
  });

  it('offers the form to tenant administrators only', async () => {
    stubTrustsApi(tenantMember('OPERATOR'));
    renderApp(newTrustPage);

    expect(await screen.findByText('Only a tenant ADMIN may create trusts.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create trust' })).not.toBeInTheDocument();
  });
});
