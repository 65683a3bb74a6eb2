import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS } from '../../api/polling';
import type {
  ObjectStatus,
  ObjectStatusPage,
  ObjectStatusSummary,
  RuleMetrics,
} from '../../api/types';
import { json, problem } from '../../test/fetchStub';
import { elapse, fakeClock, setTabVisible } from '../../test/liveRefresh';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { REPLICATION_POLL_MS } from './api';
import { emptyMetrics, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const photosPage = `/tenants/${TENANT_ID}/rules/${photosRule.id}`;
const photosPath = `${rulesPath}/${photosRule.id}`;

const metrics: RuleMetrics = {
  ...emptyMetrics(photosRule),
  destinations: [
    {
      bucket: 'photos-replica',
      operationsPending: 0,
      bytesPending: 0,
      operationsReplicated: 120,
      bytesReplicated: 5 * 1024 * 1024,
      operationsFailed: 3,
      operationsRetrying: 0,
      replicationLatencySeconds: 0,
      latencyP50Seconds: 1.5,
      latencyP99Seconds: 185,
      operationsMissedThreshold: 2,
      operationsReplicatedAfterThreshold: 1,
      series: [],
      pendingSeries: [],
    },
    emptyMetrics(photosRule).destinations[1]!,
  ],
};

const summary: ObjectStatusSummary = {
  byStatus: { COMPLETED: 120, FAILED: 3, PENDING: 0, REPLICA: 4 },
  byFailureReason: { DstBucketUnversioned: 2, AccessDenied: 1 },
};

const failure: ObjectStatus = {
  key: 'raw/2026/img-001.jpg',
  versionId: 'v-111',
  isDeleteMarker: false,
  size: 2048,
  destinationBucket: 'photos-replica',
  status: 'FAILED',
  outcome: null,
  detail: null,
  failureReason: 'DstBucketUnversioned',
  lastError: 'Versioning is not enabled on the destination bucket',
  attempts: 3,
  nextAttemptAt: null,
  sourceLastModified: '2026-03-07T09:10:00Z',
  replicatedAt: null,
  destinationVersionId: null,
};

function stubReplication(
  role: 'VIEWER' | 'OPERATOR' | 'ADMIN',
  extra: Parameters<typeof stubRulesApi>[1] = {},
) {
  return stubRulesApi(tenantMember(role), {
    [`GET ${photosPath}/metrics`]: () => json(200, metrics),
    [`GET ${photosPath}/objects/summary`]: () => json(200, summary),
    ...extra,
  });
}

function cells(row: HTMLElement) {
  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);
}

describe('RulePage replication status', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows new replications and failures without a reload, saying how fresh they are', async () => {
    fakeClock();
    let current: { metrics: RuleMetrics; failures: ObjectStatus[] } = {
      metrics: emptyMetrics(photosRule),
      failures: [],
    };
    const requests = stubReplication('VIEWER', {
      [`GET ${photosPath}/metrics`]: () => json(200, current.metrics),
      [`GET ${photosPath}/objects`]: () => json(200, { items: current.failures, nextCursor: null }),
    });
    renderApp(photosPage);
    const metricsTable = await screen.findByTestId('rule-metrics');
    const row = () => within(metricsTable).getByText('photos-replica').closest('tr')!;
    await waitFor(() => expect(cells(row())[2]).toBe('0 (0 B)'));
    const figuresUpdated = screen.getByRole('status', {
      name: 'Replication status updated just now',
    });
    const objectsUpdated = screen.getByRole('status', { name: 'Objects updated just now' });

    // Written and replicated (or failed) meanwhile, through the API or a scan.
    current = { metrics, failures: [failure] };
    await elapse(IDLE_POLL_MS - 1000);
    expect(figuresUpdated).toHaveTextContent('Updated 14 s ago');
    expect(objectsUpdated).toHaveAccessibleName('Objects updated 14 seconds ago');
    expect(cells(row())[2]).toBe('0 (0 B)');

    await elapse(1000);
    await waitFor(() => expect(cells(row())[2]).toBe('120 (5.0 MiB)'));
    expect(
      await within(screen.getByTestId('objects')).findByText('raw/2026/img-001.jpg'),
    ).toBeInTheDocument();
    expect(figuresUpdated).toHaveTextContent('Updated just now');

    // Hidden, the page asks nothing.
    setTabVisible(false);
    const sent = requests.length;
    await elapse(2 * IDLE_POLL_MS);
    expect(requests).toHaveLength(sent);
  });

  it('polls every 5 s while versions are pending', async () => {
    fakeClock();
    const pending: RuleMetrics = {
      ...metrics,
      destinations: [{ ...metrics.destinations[0]!, operationsPending: 6, bytesPending: 6144 }],
    };
    const requests = stubReplication('VIEWER', {
      [`GET ${photosPath}/metrics`]: () => json(200, pending),
    });
    renderApp(photosPage);
    const metricsTable = await screen.findByTestId('rule-metrics');
    await within(metricsTable).findByText('6 (6.0 KiB)');
    const fetches = (path: string) => requests.filter((request) => request.path === path).length;
    await waitFor(() => expect(fetches(`${photosPath}/objects`)).toBe(1));

    await elapse(REPLICATION_POLL_MS);
    await waitFor(() => expect(fetches(`${photosPath}/metrics`)).toBe(2));
    await waitFor(() => expect(fetches(`${photosPath}/objects/summary`)).toBe(2));
    await waitFor(() => expect(fetches(`${photosPath}/objects`)).toBe(2));
  });

  it('shows a metrics error alone, without calling the destinations empty', async () => {
    stubReplication('VIEWER', {
      [`GET ${photosPath}/metrics`]: () => problem(503, 'The database did not answer in time.'),
    });
    renderApp(photosPage);

    expect(await screen.findByText('The database did not answer in time.')).toBeInTheDocument();
    expect(within(screen.getByTestId('rule-metrics')).queryByText('No destinations.')).toBeNull();
  });

  it('shows a dash, not 0 s, for latencies with nothing to measure', async () => {
    // as the server answers a destination with nothing pending and nothing replicated
    const idle = {
      ...emptyMetrics(photosRule).destinations[0]!,
      replicationLatencySeconds: 0,
      latencyP50Seconds: 0,
      latencyP99Seconds: 0,
    };
    stubReplication('VIEWER', {
      [`GET ${photosPath}/metrics`]: () =>
        json(200, { ...emptyMetrics(photosRule), destinations: [idle] }),
    });
    renderApp(photosPage);

    const table = await screen.findByTestId('rule-metrics');
    const row = (await within(table).findByText(idle.bucket)).closest('tr')!;
    expect(cells(row).slice(4, 7)).toEqual(['—', '—', '—']);
  });

  it('shows per-destination metrics with readable bytes and durations', async () => {
    stubReplication('VIEWER');
    renderApp(photosPage);

    expect(await screen.findByRole('heading', { name: 'Replication status' })).toBeInTheDocument();
    const table = screen.getByTestId('rule-metrics');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual([
      'Destination',
      'Pending',
      'Replicated',
      'Failed',
      'Latency now',
      'p50',
      'p99',
      'Missed threshold',
    ]);
    const row = (await within(table).findByText('photos-replica')).closest('tr')!;
    expect(cells(row)).toEqual([
      'photos-replica',
      '0 (0 B)',
      '120 (5.0 MiB)',
      '3',
      '—',
      '1.5 s',
      '3 min 5 s',
      '2 (1 replicated late)',
    ]);
    expect(within(table).getByText('photos-dr')).toBeInTheDocument();
    expect(
      screen.getByText(/Figures for the last hour, computed from durable records/),
    ).toBeInTheDocument();
  });

  it('shows counts and failure reasons, with retry buttons for an OPERATOR', async () => {
    stubReplication('OPERATOR');
    renderApp(photosPage);

    const objectSummary = await screen.findByTestId('object-summary');
    expect(within(objectSummary).getByText('COMPLETED: 120')).toBeInTheDocument();
    expect(within(objectSummary).getByText('FAILED: 3')).toBeInTheDocument();
    expect(within(objectSummary).getByText('REPLICA: 4')).toBeInTheDocument();
    expect(within(objectSummary).getByText('DstBucketUnversioned: 2')).toBeInTheDocument();
    expect(within(objectSummary).getByText('AccessDenied: 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry DstBucketUnversioned' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry AccessDenied' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry all failed' })).toBeEnabled();
    expect(screen.getByText(/Failed objects are not retried automatically/)).toBeInTheDocument();
  });

  it('offers a VIEWER no retry', async () => {
    stubReplication('VIEWER', {
      [`GET ${photosPath}/objects`]: () => json(200, { items: [failure], nextCursor: null }),
    });
    renderApp(photosPage);

    const objectSummary = await screen.findByTestId('object-summary');
    expect(within(objectSummary).getByText('DstBucketUnversioned: 2')).toBeInTheDocument();
    const table = screen.getByTestId('objects');
    expect(await within(table).findByText('raw/2026/img-001.jpg')).toBeInTheDocument();
    expect(within(table).queryByRole('columnheader', { name: 'Action' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Retry/ })).not.toBeInTheDocument();
  });

  it('retries one failure reason, shows how many were queued, and fetches the counts again', async () => {
    const requests = stubReplication('OPERATOR', {
      [`POST ${photosPath}/objects/retry`]: () => json(202, { queued: 2, hurried: 0 }),
    });
    const { user } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Retry DstBucketUnversioned' }));

    expect(await screen.findByText('Queued 2 objects again.')).toBeInTheDocument();
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.path).toBe(`${photosPath}/objects/retry`);
    expect(post.body).toEqual({ failureReason: 'DstBucketUnversioned' });
    const refetched = () =>
      requests.slice(requests.indexOf(post) + 1).map((request) => request.path);
    await waitFor(() =>
      expect(refetched()).toEqual(
        expect.arrayContaining([
          `${photosPath}/objects/summary`,
          `${photosPath}/metrics`,
          `${photosPath}/objects`,
        ]),
      ),
    );
  });

  it('retries all failed objects without a body', async () => {
    const requests = stubReplication('ADMIN', {
      [`POST ${photosPath}/objects/retry`]: () => json(202, { queued: 3, hurried: 0 }),
    });
    const { user } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Retry all failed' }));

    expect(await screen.findByText('Queued 3 objects again.')).toBeInTheDocument();
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.body).toBeUndefined();
  });

  it('shows a refused retry as a problem', async () => {
    stubReplication('OPERATOR', {
      [`POST ${photosPath}/objects/retry`]: () => problem(409, 'A retry is already running.'),
    });
    const { user } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Retry AccessDenied' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('A retry is already running.');
  });

  it('lists failed objects a page at a time, the cursor kept in objectsCursor', async () => {
    const pages: Record<string, ObjectStatusPage> = {
      '': { items: [failure], nextCursor: 'next-1' },
      'next-1': {
        items: [{ ...failure, key: 'raw/2026/img-002.jpg', versionId: 'v-222', attempts: 1 }],
        nextCursor: null,
      },
    };
    const requests = stubReplication('VIEWER', {
      [`GET ${photosPath}/objects`]: ({ searchParams }) =>
        json(200, pages[searchParams.get('cursor') ?? '']),
    });
    const { user, router } = renderApp(photosPage);

    expect(await screen.findByRole('heading', { name: 'Failed objects' })).toBeInTheDocument();
    const table = screen.getByTestId('objects');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual([
      'Key',
      'Version',
      'Destination',
      'Status',
      'Reason',
      'Last error',
      'Attempts',
      'Next attempt',
    ]);
    const row = (await within(table).findByText('raw/2026/img-001.jpg')).closest('tr')!;
    expect(cells(row)).toEqual([
      'raw/2026/img-001.jpg',
      'v-111',
      'photos-replica',
      'FAILED',
      'DstBucketUnversioned',
      'Versioning is not enabled on the destination bucket',
      '3',
      '—',
    ]);
    const first = requests.find((request) => request.path === `${photosPath}/objects`)!;
    expect(Object.fromEntries(first.searchParams)).toEqual({ status: 'FAILED', limit: '50' });

    await user.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await within(table).findByText('raw/2026/img-002.jpg')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?objectsCursor=next-1');
  });

  it('shows pending objects with their attempts, last error and next attempt, filtered in the URL', async () => {
    const backingOff: ObjectStatus = {
      ...failure,
      key: 'raw/2026/stuck-1.jpg',
      destinationBucket: 'photos-dr',
      status: 'PENDING',
      failureReason: null,
      lastError: 'the endpoint refused the connection',
      attempts: 7,
      nextAttemptAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
    const due = {
      ...backingOff,
      key: 'raw/2026/stuck-2.jpg',
      nextAttemptAt: '2026-03-07T09:10:00Z',
    };
    const copying = { ...backingOff, key: 'raw/2026/stuck-3.jpg', nextAttemptAt: null };
    const requests = stubReplication('OPERATOR', {
      [`GET ${photosPath}/objects`]: ({ searchParams }) =>
        json(200, {
          items: searchParams.get('status') === 'PENDING' ? [backingOff, due, copying] : [failure],
          nextCursor: null,
        }),
    });
    const { user, router } = renderApp(photosPage);
    const objects = () => requests.filter((request) => request.path === `${photosPath}/objects`);

    await user.selectOptions(await screen.findByLabelText('Status'), 'Pending');

    expect(await screen.findByRole('heading', { name: 'Pending objects' })).toBeInTheDocument();
    const table = screen.getByTestId('objects');
    const row = (await within(table).findByText('raw/2026/stuck-1.jpg')).closest('tr')!;
    expect(cells(row).slice(2, 7)).toEqual([
      'photos-dr',
      'PENDING',
      '—',
      'the endpoint refused the connection',
      '7',
    ]);
    expect(within(row).getByText((_, element) => element?.tagName === 'TIME')).toHaveAttribute(
      'dateTime',
      backingOff.nextAttemptAt,
    );
    expect(cells(within(table).getByText('raw/2026/stuck-2.jpg').closest('tr')!)[7]).toBe(
      'Due now',
    );
    expect(cells(within(table).getByText('raw/2026/stuck-3.jpg').closest('tr')!)[7]).toBe(
      'Being copied',
    );
    // They are retried on their own; one waiting out a backoff can be tried at once (after a fix).
    expect(
      within(row).getByRole('button', { name: 'Retry raw/2026/stuck-1.jpg now' }),
    ).toHaveTextContent('Retry now');
    for (const waiting of ['raw/2026/stuck-2.jpg', 'raw/2026/stuck-3.jpg']) {
      expect(
        within(within(table).getByText(waiting).closest('tr')!).queryByRole('button'),
      ).toBeNull();
    }
    // Reasons are failures': not offered for pending versions.
    expect(screen.queryByLabelText('Failure reason')).toBeNull();
    expect(router.state.location.search).toBe('?objectStatus=PENDING');
    expect(Object.fromEntries(objects().at(-1)!.searchParams)).toEqual({
      status: 'PENDING',
      limit: '50',
    });

    await user.selectOptions(screen.getByLabelText('Destination'), 'photos-dr');
    await user.type(screen.getByLabelText('Key prefix'), 'raw/2026/{Enter}');

    await waitFor(() =>
      expect(Object.fromEntries(objects().at(-1)!.searchParams)).toEqual({
        status: 'PENDING',
        destination: 'photos-dr',
        prefix: 'raw/2026/',
        limit: '50',
      }),
    );
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
      objectStatus: 'PENDING',
      objectDestination: 'photos-dr',
      objectPrefix: 'raw/2026/',
    });

    await user.selectOptions(screen.getByLabelText('Status'), 'All statuses');

    await waitFor(() =>
      expect(Object.fromEntries(objects().at(-1)!.searchParams)).toEqual({
        destination: 'photos-dr',
        prefix: 'raw/2026/',
        limit: '50',
      }),
    );
    expect(await screen.findByRole('heading', { name: 'All objects' })).toBeInTheDocument();
  });

  it('filters failed objects by a reason of the summary', async () => {
    const requests = stubReplication('VIEWER', {
      [`GET ${photosPath}/objects`]: () => json(200, { items: [], nextCursor: null }),
    });
    const { user, router } = renderApp(photosPage);
    const objects = () => requests.filter((request) => request.path === `${photosPath}/objects`);

    const reason = await screen.findByLabelText('Failure reason');
    await waitFor(() =>
      expect(
        within(reason)
          .getAllByRole('option')
          .map((option) => option.textContent),
      ).toEqual(['Any reason', 'DstBucketUnversioned', 'AccessDenied']),
    );
    await user.selectOptions(reason, 'AccessDenied');

    await waitFor(() =>
      expect(Object.fromEntries(objects().at(-1)!.searchParams)).toEqual({
        status: 'FAILED',
        failureReason: 'AccessDenied',
        limit: '50',
      }),
    );
    expect(router.state.location.search).toBe('?objectReason=AccessDenied');
    expect(
      await within(screen.getByTestId('objects')).findByText('No failed objects match the filter.'),
    ).toBeInTheDocument();

    // Pending versions have no reason: the filter goes with the failures.
    await user.selectOptions(screen.getByLabelText('Status'), 'Pending');
    expect(router.state.location.search).toBe('?objectStatus=PENDING');
  });

  it('retries one failed key from its row, and fetches the objects again', async () => {
    const requests = stubReplication('OPERATOR', {
      [`GET ${photosPath}/objects`]: () => json(200, { items: [failure], nextCursor: null }),
      [`POST ${photosPath}/objects/retry`]: () => json(202, { queued: 1, hurried: 0 }),
    });
    const { user } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Retry raw/2026/img-001.jpg' }));

    expect(await screen.findByText('Queued 1 object again.')).toBeInTheDocument();
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.path).toBe(`${photosPath}/objects/retry`);
    expect(post.body).toEqual({ keys: ['raw/2026/img-001.jpg'] });
    await waitFor(() =>
      expect(requests.slice(requests.indexOf(post) + 1).map((request) => request.path)).toContain(
        `${photosPath}/objects`,
      ),
    );
  });

  it('tries a version waiting out its backoff at once, saying so', async () => {
    const backingOff: ObjectStatus = {
      ...failure,
      status: 'PENDING',
      failureReason: null,
      lastError: 'the endpoint refused the connection',
      attempts: 5,
      nextAttemptAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
    const requests = stubReplication('OPERATOR', {
      [`GET ${photosPath}/objects`]: () => json(200, { items: [backingOff], nextCursor: null }),
      [`POST ${photosPath}/objects/retry`]: () => json(202, { queued: 0, hurried: 1 }),
    });
    const { user } = renderApp(`${photosPage}?objectStatus=PENDING`);

    await user.click(await screen.findByRole('button', { name: 'Retry raw/2026/img-001.jpg now' }));

    expect(
      await screen.findByText('1 object waiting for a next attempt is tried now.'),
    ).toBeInTheDocument();
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({
      keys: ['raw/2026/img-001.jpg'],
    });
  });

  it('scrolls to the failed objects when linked to them', async () => {
    const scrolled: Element[] = [];
    vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (
      this: HTMLElement,
    ) {
      scrolled.push(this);
    });
    stubReplication('VIEWER', {
      [`GET ${photosPath}/objects`]: () => json(200, { items: [failure], nextCursor: null }),
    });
    renderApp(`${photosPage}?objectStatus=FAILED#objects`);

    const heading = await screen.findByRole('heading', { name: 'Failed objects' });
    await waitFor(() => expect(scrolled).toEqual([heading]));
  });

  it('says when nothing failed', async () => {
    stubRulesApi(tenantMember('VIEWER'));
    renderApp(photosPage);

    const table = await screen.findByTestId('objects');
    expect(await within(table).findByText('No failed objects.')).toBeInTheDocument();
  });
});
