import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { stubTrustsApi, trustsPath } from './trusts.fixtures';

describe('TrustsPage', () => {
  it('lists the tenant’s trusts', async () => {
    const requests = stubTrustsApi(tenantMember('ADMIN'));
    renderApp(`/tenants/${TENANT_ID}/trusts`);

    const staticRow = (await screen.findByRole('link', { name: 'wasabi-backup' })).closest('tr')!;
    expect(within(staticRow).getByText('STATIC')).toBeInTheDocument();
    expect(
      within(staticRow).getByText('https://s3.eu-central-1.wasabisys.com'),
    ).toBeInTheDocument();
    expect(within(staticRow).getByText('eu-central-1')).toBeInTheDocument();
    expect(within(staticRow).getByText('AKIAWASABI0001')).toBeInTheDocument();
    const verified = within(staticRow).getByTestId('last-verification');
    expect(within(verified).getByText('Verified')).toBeInTheDocument();
    expect(verified).toHaveTextContent('backups ·');

    const roleRow = screen.getByRole('link', { name: 'prod-account' }).closest('tr')!;
    expect(within(roleRow).getByText('ASSUME_ROLE')).toBeInTheDocument();
    expect(within(roleRow).getByTestId('last-verification')).toHaveTextContent('Not verified');
    expect(within(roleRow).getByText('AWS S3 (us-east-1)')).toBeInTheDocument();
    expect(
      within(roleRow).getByText('arn:aws:iam::123456789012:role/replicator'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'prod-account' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/trusts/trust-2`,
    );

    const navigation = screen.getByRole('navigation', { name: 'Main' });
    expect(within(navigation).getByRole('link', { name: 'Trusts' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    const list = requests.find((request) => request.path === trustsPath)!;
    expect(list.searchParams.get('limit')).toBe('50');
  });

  it('opens the create form from “New trust”', async () => {
    stubTrustsApi(tenantMember('ADMIN'));
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/trusts`);

    await user.click(await screen.findByRole('link', { name: 'New trust' }));

    expect(await screen.findByRole('button', { name: 'Create trust' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/trusts/new`);
  });

  it.each(['VIEWER', 'OPERATOR'] as const)('offers a %s no way to create a trust', async (role) => {
    stubTrustsApi(tenantMember(role));
    renderApp(`/tenants/${TENANT_ID}/trusts`);

    expect(await screen.findByRole('link', { name: 'wasabi-backup' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New trust' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New trust' })).not.toBeInTheDocument();
  });
});
