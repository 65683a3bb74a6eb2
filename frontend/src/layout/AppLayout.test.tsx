import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, noContent, stubFetch } from '../test/fetchStub';
import { platformAdmin, renderApp, TENANT_ID, tenantMember } from '../test/renderApp';

describe('AppLayout', () => {
  it('signs out and returns to the sign-in page', async () => {
    const requests = stubFetch({
      'GET /api/v1/auth/me': () => json(200, platformAdmin),
      'GET /api/v1/tenants': () =>
        json(200, {
          items: [{ id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }],
          nextCursor: null,
        }),
      'POST /api/v1/auth/logout': () => noContent(),
    });
    const { user, router } = renderApp('/');

    expect(await screen.findByRole('link', { name: 'Acme' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/overview`,
    );
    const navigation = screen.getByRole('navigation', { name: 'Main' });
    expect(within(navigation).getByRole('link', { name: 'Tenants' })).toHaveAttribute(
      'aria-current',
      'page',
    );

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(requests.some((request) => request.path === '/api/v1/auth/logout')).toBe(true);
  });

  it('lets the platform administrator switch tenants, keeping the section shown', async () => {
    const OTHER = '01900000-0000-7000-8000-0000000000b2';
    stubFetch({
      'GET /api/v1/auth/me': () => json(200, platformAdmin),
      'GET /api/v1/tenants': (request) =>
        json(200, {
          items: [
            { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' },
            { id: OTHER, name: 'Globex', createdAt: '2026-01-02T00:00:00Z' },
          ],
          nextCursor: request.searchParams.get('limit') === '1000' ? null : 'more',
        }),
      [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
        json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
      [`GET /api/v1/tenants/${OTHER}`]: () =>
        json(200, { id: OTHER, name: 'Globex', createdAt: '2026-01-02T00:00:00Z' }),
      [`GET /api/v1/tenants/${TENANT_ID}/audit`]: () => json(200, { items: [], nextCursor: null }),
      [`GET /api/v1/tenants/${OTHER}/audit`]: () => json(200, { items: [], nextCursor: null }),
    });
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/audit?action=session`);

    const switcher = await screen.findByRole('textbox', { name: 'Tenant' });
    await vi.waitFor(() => expect(switcher).toHaveValue('Acme'));

    await user.click(switcher);
    await user.click(await screen.findByRole('option', { name: 'Globex' }));

    expect(router.state.location.pathname).toBe(`/tenants/${OTHER}/audit`);
    expect(router.state.location.search).toBe('');
    await vi.waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Tenant' })).toHaveValue('Globex'),
    );
    const navigation = screen.getByRole('navigation', { name: 'Main' });
    expect(within(navigation).getByRole('link', { name: 'Audit log' })).toHaveAttribute(
      'href',
      `/tenants/${OTHER}/audit`,
    );
  });

  it('offers no tenant switcher to a tenant member', async () => {
    stubFetch({
      'GET /api/v1/auth/me': () => json(200, tenantMember('ADMIN')),
      [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
        json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
      [`GET /api/v1/tenants/${TENANT_ID}/audit`]: () => json(200, { items: [], nextCursor: null }),
    });
    renderApp(`/tenants/${TENANT_ID}/audit`);

    expect(await screen.findByText('Acme')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Tenant' })).not.toBeInTheDocument();
  });
});
