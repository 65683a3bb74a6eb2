import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem, stubFetch } from '../../test/fetchStub';
import { platformAdmin, renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

describe('LoginPage', () => {
  it('shows the server’s problem detail for wrong credentials', async () => {
    const requests = stubFetch({
      'POST /api/v1/auth/login': () => problem(401, 'Email or password is wrong.', 'Unauthorized'),
    });
    const { user, router } = renderApp('/login');

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'not-the-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is wrong.');
    expect(requests[0]?.body).toEqual({ email: 'ada@example.com', password: 'not-the-password' });
    expect(router.state.location.pathname).toBe('/login');
  });

  it('shows when to retry after too many attempts', async () => {
    stubFetch({
      'POST /api/v1/auth/login': () =>
        problem(429, 'Too many sign-in attempts. Try again in 60 seconds.', 'Too Many Requests'),
    });
    const { user } = renderApp('/login');

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'whatever');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 60 seconds.');
  });

  it('validates before calling the server', async () => {
    const requests = stubFetch({});
    const { user } = renderApp('/login');

    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it('signs the platform administrator in with a token and opens the tenants', async () => {
    const requests = stubFetch({
      'POST /api/v1/auth/login': () => json(200, platformAdmin),
      'GET /api/v1/auth/me': () => json(200, platformAdmin),
      'GET /api/v1/tenants': () => json(200, { items: [], nextCursor: null }),
    });
    const { user, router } = renderApp('/login');

    await user.click(screen.getByRole('link', { name: 'Sign in with an API token' }));
    await user.type(screen.getByLabelText('API token'), 'rpl_admin_token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Tenants' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/tenants');
    expect(requests[0]?.body).toEqual({ token: 'rpl_admin_token' });
    expect(screen.getByLabelText('Tenant name')).toBeInTheDocument();
  });

  it('takes a tenant user to the tenant’s overview', async () => {
    const me = tenantMember('VIEWER');
    stubFetch({
      'POST /api/v1/auth/login': () => json(200, me),
      'GET /api/v1/auth/me': () => json(200, me),
      [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
        json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
      [`GET /api/v1/tenants/${TENANT_ID}/rules/health`]: () =>
        json(200, { items: [], nextCursor: null }),
      [`GET /api/v1/tenants/${TENANT_ID}/trusts`]: () => json(200, { items: [], nextCursor: null }),
    });
    const { user, router } = renderApp('/login');

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/overview`);
  });
});
