import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RuleHealth } from '../../api/types';
import { json } from '../../test/fetchStub';
import { elapse, fakeClock } from '../../test/liveRefresh';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { REPLICATION_POLL_MS } from '../rules/api';
import { logsRule, photosRule, ruleHealth, rulesPath } from '../rules/rules.fixtures';
import { stubTrustsApi } from '../trusts/trusts.fixtures';

/** photos: its first destination failing (3 failures, 2 retrying), its second lagging; logs: paused. */
function troubled(): RuleHealth[] {
  const photos = ruleHealth(photosRule, 'FAILING');
  const [failing, lagging] = photos.destinations;
  photos.destinations = [
    {
      ...failing!,
      state: 'FAILING',
      operationsFailed: 3,
      operationsRetrying: 2,
      operationsPending: 2,
    },
    {
      ...lagging!,
      state: 'LAGGING',
      operationsPending: 6,
      bytesPending: 6 * 1024 * 1024,
      replicationLatencySeconds: 1200,
      throughput: lagging!.throughput.map((minute, i) => ({
        ...minute,
        operationsReplicated: i === 59 ? 4 : 0,
      })),
    },
  ];
  return [photos, ruleHealth(logsRule, 'PAUSED')];
}

describe('OverviewPage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is where a tenant lands, and shows each destination’s state, worst first, in words', async () => {
    stubTrustsApi(tenantMember('VIEWER'), {
      [`GET ${rulesPath}/health`]: () => json(200, { items: troubled(), nextCursor: null }),
    });
    const { router } = renderApp(`/tenants/${TENANT_ID}`);

    expect(await screen.findByRole('heading', { name: 'Overview', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/overview`);
    expect(await screen.findByTestId('health-summary')).toHaveTextContent(
      '2 rules: 1 failing, 1 paused',
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[0]!.textContent)).toEqual([
      'Failing',
      'Lagging',
      'Paused',
    ]);
    const [failing, lagging] = rows;
    expect(within(failing!).getByRole('link', { name: '3' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/rule-1?objectStatus=FAILED#objects`,
    );
    expect(failing).toHaveTextContent('2 · 0 B');
    expect(within(lagging!).getByText('20 min')).toBeInTheDocument();
    expect(lagging).toHaveTextContent('of 15 minutes');
    expect(lagging).toHaveTextContent('6 · 6.0 MiB');
    expect(within(lagging!).getByRole('link', { name: 'photos-to-replicas' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/rule-1`,
    );
    expect(within(rows[2]!).getByRole('link', { name: 'logs-archive' })).toBeInTheDocument();
  });

  it('refreshes by itself while versions are pending', async () => {
    fakeClock();
    let items = troubled();
    stubTrustsApi(tenantMember('VIEWER'), {
      [`GET ${rulesPath}/health`]: () => json(200, { items, nextCursor: null }),
    });
    renderApp(`/tenants/${TENANT_ID}/overview`);
    expect(await screen.findByTestId('health-summary')).toHaveTextContent('1 failing');

    items = [ruleHealth(photosRule), ruleHealth(logsRule, 'PAUSED')]; // the destination came back
    await elapse(REPLICATION_POLL_MS);

    expect(await screen.findByText('2 rules: 1 paused, 1 healthy')).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Overview updated just now' })).toBeInTheDocument();
  });

  it('says what to do when there is no rule yet', async () => {
    stubTrustsApi(tenantMember('VIEWER'), {
      [`GET ${rulesPath}/health`]: () => json(200, { items: [], nextCursor: null }),
    });
    renderApp(`/tenants/${TENANT_ID}/overview`);

    expect(
      await screen.findByText('No rules yet: create one on the Rules page to see its health here.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the rules' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules`,
    );
  });
});
