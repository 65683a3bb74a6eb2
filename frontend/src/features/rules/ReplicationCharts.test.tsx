import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleMetrics } from '../../api/types';
import { json } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { emptyMetrics, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const photosPage = `/tenants/${TENANT_ID}/rules/${photosRule.id}`;
const metricsPath = `${rulesPath}/${photosRule.id}/metrics`;

const empty = emptyMetrics(photosRule);
const metrics: RuleMetrics = {
  ...empty,
  destinations: [
    {
      ...empty.destinations[0]!,
      operationsReplicated: 7,
      operationsFailed: 1,
      latencyP99Seconds: 95,
      series: [
        {
          at: '2026-03-07T09:05:00Z',
          operationsReplicated: 5,
          bytesReplicated: 5120,
          operationsFailed: 1,
          latencyP99Seconds: 2.5,
        },
        {
          at: '2026-03-07T09:40:00Z',
          operationsReplicated: 2,
          bytesReplicated: 2048,
          operationsFailed: 0,
          latencyP99Seconds: 95,
        },
      ],
    },
    empty.destinations[1]!,
  ],
};

const HOUR = 60 * 60 * 1000;

function windowOf(request: { searchParams: URLSearchParams }) {
  const from = Date.parse(request.searchParams.get('from') ?? '');
  const to = Date.parse(request.searchParams.get('to') ?? '');
  return { from, to, length: to - from };
}

describe('RulePage replication charts', () => {
  beforeEach(() => {
    // jsdom lays nothing out: give the charts' responsive containers a size so that recharts draws.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
      this: HTMLElement,
    ) {
      return this.classList.contains('recharts-responsive-container')
        ? new DOMRect(0, 0, 800, 220)
        : new DOMRect(0, 0, 0, 0);
    });
  });

  it('draws operations and p99 latency per destination, with the threshold line', async () => {
    stubRulesApi(tenantMember('VIEWER'), { [`GET ${metricsPath}`]: () => json(200, metrics) });
    renderApp(photosPage);

    const replica = await screen.findByRole('group', { name: 'Charts of photos-replica' });
    const operations = within(replica).getByTestId('operations-chart');
    expect(within(operations).getByText('Operations per minute')).toBeInTheDocument();
    await waitFor(() => expect(operations.querySelector('svg.recharts-surface')).not.toBeNull());
    expect(within(operations).getByText('Replicated')).toBeInTheDocument();
    expect(within(operations).getByText('Failed')).toBeInTheDocument();
    expect(within(operations).getByText(/Steps without any show as zero/)).toBeInTheDocument();
    // Every minute from 09:00 to 10:00 is drawn, the quiet ones at zero, not just the two with activity.
    const replicatedArea = operations.querySelector('path.recharts-area-curve')!.getAttribute('d')!;
    expect(replicatedArea.match(/[ML]/g)).toHaveLength(61);

    const latency = within(replica).getByTestId('latency-chart');
    await waitFor(() => expect(latency.querySelector('svg.recharts-surface')).not.toBeNull());
    expect(within(latency).getByText('p99 latency')).toBeInTheDocument();
    // p99 of at most 95 s: the 15-minute threshold is not drawn (it would flatten the points), it
    // is named instead.
    expect(within(latency).queryByText('Threshold 15 min')).not.toBeInTheDocument();
    expect(within(latency).getByTestId('threshold-above')).toHaveTextContent(
      'well below the replication-time threshold (15 minutes)',
    );
    // Latency only where something was replicated: no points at zero for the quiet minutes.
    expect(latency.querySelectorAll('.recharts-line-dot')).toHaveLength(2);
    expect(
      within(latency).getByText(/rule's replication-time threshold, 15 minutes/),
    ).toBeInTheDocument();

    // A destination without activity gets a sentence instead of two empty charts.
    const dr = screen.getByRole('group', { name: 'Charts of photos-dr' });
    expect(dr).toHaveTextContent('Nothing was replicated to this destination');
    expect(within(dr).queryByTestId('operations-chart')).not.toBeInTheDocument();
  });

  it('draws the threshold line when the latencies come near it', async () => {
    const slow = {
      ...metrics,
      destinations: metrics.destinations.map((destination) => ({
        ...destination,
        series: destination.series.map((point) => ({ ...point, latencyP99Seconds: 600 })),
      })),
    };
    stubRulesApi(tenantMember('VIEWER'), { [`GET ${metricsPath}`]: () => json(200, slow) });
    renderApp(photosPage);

    const replica = await screen.findByRole('group', { name: 'Charts of photos-replica' });
    const latency = within(replica).getByTestId('latency-chart');
    await waitFor(() => expect(latency.querySelector('svg.recharts-surface')).not.toBeNull());
    expect(await within(latency).findByText('Threshold 15 min')).toBeInTheDocument();
    expect(within(latency).queryByTestId('threshold-above')).not.toBeInTheDocument();
  });

  it('asks for the last hour, then for the range chosen, kept in the URL', async () => {
    const requests = stubRulesApi(tenantMember('VIEWER'), {
      [`GET ${metricsPath}`]: () => json(200, metrics),
    });
    const { user, router } = renderApp(photosPage);

    await screen.findByRole('group', { name: 'Charts of photos-replica' });
    const metricsRequests = () => requests.filter((request) => request.path === metricsPath);
    const first = windowOf(metricsRequests()[0]!);
    expect(first.length).toBe(HOUR);
    expect(Math.abs(first.to - Date.now())).toBeLessThan(60_000);
    expect(screen.getByRole('radio', { name: 'Last hour' })).toBeChecked();
    expect(screen.getByText(/Figures for the last hour/)).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Last 6 hours' }));

    expect(router.state.location.search).toBe('?range=6h');
    await waitFor(() => expect(metricsRequests()).toHaveLength(2));
    expect(windowOf(metricsRequests()[1]!).length).toBe(6 * HOUR);
    expect(screen.getByText(/Figures for the last 6 hours/)).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Last hour' }));
    expect(router.state.location.search).toBe('');
  });

  it('opens with the range of the URL, charting a week in 10-minute steps', async () => {
    const week = { ...metrics, from: '2026-02-28T10:00:00Z', to: '2026-03-07T10:00:00Z' };
    const requests = stubRulesApi(tenantMember('VIEWER'), {
      [`GET ${metricsPath}`]: () => json(200, week),
    });
    renderApp(`${photosPage}?range=7d`);

    const replica = await screen.findByRole('group', { name: 'Charts of photos-replica' });
    expect(screen.getByRole('radio', { name: 'Last 7 days' })).toBeChecked();
    const request = requests.find((candidate) => candidate.path === metricsPath)!;
    expect(windowOf(request).length).toBe(7 * 24 * HOUR);
    const operations = within(replica).getByTestId('operations-chart');
    expect(within(operations).getByText('Operations per 10 minutes')).toBeInTheDocument();
    await waitFor(() =>
      expect(operations.querySelector('path.recharts-area-curve')).not.toBeNull(),
    );
    // 7 days of 10-minute steps, both ends included.
    const area = operations.querySelector('path.recharts-area-curve')!.getAttribute('d')!;
    expect(area.match(/[ML]/g)).toHaveLength(7 * 24 * 6 + 1);
  });

  it('charts what waits at a destination where nothing was replicated: a stuck one', async () => {
    const stuck: RuleMetrics = {
      ...empty,
      destinations: [
        empty.destinations[0]!,
        {
          ...empty.destinations[1]!,
          operationsPending: 6,
          bytesPending: 6144,
          pendingSeries: [
            { at: '2026-03-07T09:30:00Z', operationsPending: 2, bytesPending: 2048 },
            { at: '2026-03-07T09:31:00Z', operationsPending: 6, bytesPending: 6144 },
          ],
        },
      ],
    };
    stubRulesApi(tenantMember('VIEWER'), { [`GET ${metricsPath}`]: () => json(200, stuck) });
    renderApp(photosPage);

    const dr = await screen.findByRole('group', { name: 'Charts of photos-dr' });
    expect(dr).not.toHaveTextContent('Nothing was replicated');
    const pending = within(dr).getByTestId('pending-chart');
    expect(within(pending).getByText('Pending per minute')).toBeInTheDocument();
    await waitFor(() => expect(pending.querySelector('svg.recharts-surface')).not.toBeNull());
    expect(within(pending).getByText('Versions pending')).toBeInTheDocument();
    expect(within(pending).getByText('Bytes pending')).toBeInTheDocument();
    // a point for every minute of the hour, zero where nothing was sampled
    const lines = pending.querySelectorAll('path.recharts-line-curve');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.getAttribute('d')!.match(/[ML]/g)).toHaveLength(61);

    const replica = screen.getByRole('group', { name: 'Charts of photos-replica' });
    expect(replica).toHaveTextContent('nothing waited');
  });
});
