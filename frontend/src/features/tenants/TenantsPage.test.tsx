import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me, RuleHealth } from '../../api/types';
import { logsRule, photosRule, ruleHealth } from '../rules/rules.fixtures';
import { json, stubFetch } from '../../test/fetchStub';
import { platformAdmin, renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

function stubTenants(me: Me, health: RuleHealth[] = []) {
  stubFetch({
    'GET /api/v1/auth/me': () => json(200, me),
    [`GET /api/v1/tenants/${TENANT_ID}/rules/health`]: () =>
      json(200, { items: health, nextCursor: null }),
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

  it('shows the platform administrator how each tenant is doing', async () => {
    stubTenants(platformAdmin, [ruleHealth(photosRule, 'LAGGING'), ruleHealth(logsRule, 'PAUSED')]);
    renderApp('/tenants');

    const acme = (await screen.findByRole('link', { name: 'Acme' })).closest('tr')!;
    expect(await within(acme).findByText('Lagging')).toBeInTheDocument();
    expect(acme).toHaveTextContent('1 of 2 rules');
  });

  it('says so when a tenant has no rule', async () => {
    stubTenants(platformAdmin);
    renderApp('/tenants');

    const acme = (await screen.findByRole('link', { name: 'Acme' })).closest('tr')!;
    expect(await within(acme).findByText('No rules')).toBeInTheDocument();
  });
});
