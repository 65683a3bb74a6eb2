import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, noContent, stubFetch } from '../test/fetchStub';
import { platformAdmin, renderApp, TENANT_ID } from '../test/renderApp';

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
});
