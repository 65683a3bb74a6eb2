import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me } from '../../api/types';
import { json, stubFetch } from '../../test/fetchStub';
import { platformAdmin, renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

function stubTenants(me: Me) {
  stubFetch({
    'GET /api/v1/auth/me': () => json(200, me),
    'GET /api/v1/tenants': () =>
      json(200, {
        items: [{ id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }],
        nextCursor: null,
      }),
  });
}

describe('TenantsPage', () => {
  it('asks only the platform administrator to create tenants', async () => {
    stubTenants(platformAdmin);
    renderApp('/tenants');

    expect(await screen.findByRole('link', { name: 'Acme' })).toBeInTheDocument();
    expect(screen.getByText(/Create a tenant, then open it/)).toBeInTheDocument();
  });

  it('tells a tenant member to open their tenant, not to create one', async () => {
    stubTenants(tenantMember('VIEWER'));
    renderApp('/tenants');

    expect(await screen.findByRole('link', { name: 'Acme' })).toBeInTheDocument();
    expect(screen.getByText(/Open yours to see its rules/)).toBeInTheDocument();
    expect(screen.queryByText(/Create a tenant/)).not.toBeInTheDocument();
  });
});
