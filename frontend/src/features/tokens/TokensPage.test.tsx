import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me, Token } from '../../api/types';
import { json, noContent, problem, stubFetch } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

const tokensPath = `/api/v1/tenants/${TENANT_ID}/tokens`;

const ciToken: Token = {
  id: 'tok-1',
  name: 'ci-pipeline',
  role: 'OPERATOR',
  createdAt: '2026-03-01T10:00:00Z',
  createdBy: 'ada@example.com',
  lastUsedAt: null,
};

function stubTenantApi(me: Me, extra: Parameters<typeof stubFetch>[0] = {}) {
  return stubFetch({
    'GET /api/v1/auth/me': () => json(200, me),
    [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
      json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
    [`GET ${tokensPath}`]: () => json(200, { items: [ciToken], nextCursor: null }),
    ...extra,
  });
}

describe('TokensPage', () => {
  it('lists the tenant’s tokens', async () => {
    const requests = stubTenantApi(tenantMember('ADMIN'));
    renderApp(`/tenants/${TENANT_ID}/tokens`);

    const row = (await screen.findByText('ci-pipeline')).closest('tr')!;
    expect(within(row).getByText('OPERATOR')).toBeInTheDocument();
    expect(within(row).getByText('ada@example.com')).toBeInTheDocument();
    expect(within(row).getByText('Never')).toBeInTheDocument();
    expect(await screen.findByText('Acme')).toBeInTheDocument();
    const list = requests.find((request) => request.path === tokensPath)!;
    expect(list.searchParams.get('limit')).toBe('50');
    expect(list.searchParams.has('cursor')).toBe(false);
  });

  it('shows a new token’s secret once, until dismissed', async () => {
    const requests = stubTenantApi(tenantMember('ADMIN'), {
      [`POST ${tokensPath}`]: () =>
        json(201, { ...ciToken, id: 'tok-2', name: 'backup', token: 'rpl_s3cr3t' }),
    });
    const { user } = renderApp(`/tenants/${TENANT_ID}/tokens`);

    await user.type(await screen.findByLabelText('Token name'), 'backup');
    await user.selectOptions(screen.getByLabelText('Role'), 'OPERATOR');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    expect(await screen.findByTestId('new-token-secret')).toHaveTextContent(/^rpl_s3cr3t$/);
    expect(screen.getByText(/will not be shown again/)).toBeInTheDocument();
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'backup',
      role: 'OPERATOR',
    });
    expect(screen.getByLabelText('Token name')).toHaveValue('');
    await waitFor(() =>
      expect(requests.filter((request) => request.path === tokensPath)).toHaveLength(3),
    );

    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('new-token-secret')).not.toBeInTheDocument();
    expect(screen.queryByText('rpl_s3cr3t')).not.toBeInTheDocument();
  });

  it('shows the problem detail when the server refuses', async () => {
    stubTenantApi(tenantMember('ADMIN'), {
      [`POST ${tokensPath}`]: () =>
        problem(403, 'Only a tenant ADMIN may create tokens.', 'Forbidden'),
    });
    const { user } = renderApp(`/tenants/${TENANT_ID}/tokens`);

    await user.type(await screen.findByLabelText('Token name'), 'backup');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Forbidden');
    expect(alert).toHaveTextContent('Only a tenant ADMIN may create tokens.');
    expect(screen.queryByTestId('new-token-secret')).not.toBeInTheDocument();
  });

  it('revokes a token after confirmation', async () => {
    const requests = stubTenantApi(tenantMember('ADMIN'), {
      [`DELETE ${tokensPath}/tok-1`]: () => noContent(),
    });
    const { user } = renderApp(`/tenants/${TENANT_ID}/tokens`);

    const row = (await screen.findByText('ci-pipeline')).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('ci-pipeline');
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);

    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => expect(requests.some((request) => request.method === 'DELETE')).toBe(true));
  });

  it.each(['VIEWER', 'OPERATOR'] as const)('offers no write controls to a %s', async (role) => {
    stubTenantApi(tenantMember(role));
    renderApp(`/tenants/${TENANT_ID}/tokens`);

    expect(await screen.findByText('ci-pipeline')).toBeInTheDocument();
    expect(screen.queryByLabelText('Token name')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
  });

  it('sends the user to sign in when the session has ended', async () => {
    stubTenantApi(tenantMember('ADMIN'), {
      [`GET ${tokensPath}`]: () => problem(401, 'Sign in first.', 'Unauthorized'),
    });
    const { router } = renderApp(`/tenants/${TENANT_ID}/tokens`);

    expect(await screen.findByLabelText('Email')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });
});
