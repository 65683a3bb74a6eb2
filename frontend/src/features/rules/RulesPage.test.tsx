import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS } from '../../api/polling';
import { json } from '../../test/fetchStub';
import { elapse, fakeClock } from '../../test/liveRefresh';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { logsRule, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const rulesList = `/tenants/${TENANT_ID}/rules`;

describe('RulesPage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a rule created elsewhere without a reload, and how fresh the list is', async () => {
    fakeClock();
    let rules = [photosRule];
    stubRulesApi(tenantMember('VIEWER'), {
      [`GET ${rulesPath}`]: () => json(200, { items: rules, nextCursor: null }),
    });
    renderApp(rulesList);

    expect(await screen.findByRole('link', { name: 'photos-to-replicas' })).toBeInTheDocument();
    const updated = screen.getByRole('status', { name: 'Rules updated just now' });

    rules = [photosRule, logsRule]; // created through the API
    await elapse(IDLE_POLL_MS - 1000);
    expect(updated).toHaveTextContent('Updated 14 s ago');
    expect(screen.queryByRole('link', { name: 'logs-archive' })).toBeNull();

    await elapse(1000);
    expect(await screen.findByRole('link', { name: 'logs-archive' })).toBeInTheDocument();
    expect(updated).toHaveTextContent('Updated just now');
  });

  it('lists the rules with trust names, status, destinations and filter', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'));
    renderApp(rulesList);

    const photos = (await screen.findByRole('link', { name: 'photos-to-replicas' })).closest('tr')!;
    expect(photos).toHaveTextContent('ENABLED');
    expect(await within(photos).findByText('Healthy')).toBeInTheDocument();
    expect(within(photos).getByText('10')).toBeInTheDocument();
    expect(await within(photos).findByText('prod-account / photos')).toBeInTheDocument();
    expect(within(photos).getByText('2 destinations')).toBeInTheDocument();
    expect(within(photos).getByText('Prefix raw/ · Tags env=prod, team=media')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'photos-to-replicas' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/rule-1`,
    );

    const logs = screen.getByRole('link', { name: 'logs-archive' }).closest('tr')!;
    expect(logs).toHaveTextContent('DISABLED');
    expect(within(logs).getByText('Paused')).toBeInTheDocument();
    expect(within(logs).getByText('wasabi-backup / logs')).toBeInTheDocument();
    // A trust missing from the trusts list shows by its id.
    expect(within(logs).getByText('trust-gone / logs-archive')).toBeInTheDocument();
    expect(within(logs).getByText('All objects')).toBeInTheDocument();

    const navigation = screen.getByRole('navigation', { name: 'Main' });
    const links = within(navigation)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(links.indexOf('Rules')).toBe(links.indexOf('Trusts') + 1);
    expect(within(navigation).getByRole('link', { name: 'Rules' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(requests.find((request) => request.path === rulesPath)!.searchParams.get('limit')).toBe(
      '50',
    );
    expect(screen.getByText(/versions written after the rule was created/)).toBeInTheDocument();
  });

  it('offers an ADMIN to create and import rules', async () => {
    stubRulesApi(tenantMember('ADMIN'));
    const { user, router } = renderApp(rulesList);

    expect(await screen.findByRole('link', { name: 'Import AWS configuration' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/import`,
    );
    await user.click(screen.getByRole('link', { name: 'New rule' }));

    expect(await screen.findByRole('button', { name: 'Create rule' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/rules/new`);
  });

  it.each(['VIEWER', 'OPERATOR'] as const)('offers a %s no way to create rules', async (role) => {
    stubRulesApi(tenantMember(role));
    renderApp(rulesList);

    expect(await screen.findByRole('link', { name: 'photos-to-replicas' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New rule' })).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Import AWS configuration' }),
    ).not.toBeInTheDocument();
  });
});
