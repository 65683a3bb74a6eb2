import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS } from '../../api/polling';
import { json, noContent } from '../../test/fetchStub';
import { elapse, fakeClock } from '../../test/liveRefresh';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { DELIVERY_POLL_MS, hasPendingDeliveries } from './api';
import {
  alertsWebhook,
  deliveredDelivery,
  deliveriesPath,
  failedDelivery,
  lateWebhook,
  page,
  pendingDelivery,
  stubWebhooksApi,
  webhooksPath,
} from './webhooks.fixtures';

// The whole app renders for each test: on a busy machine a screen can take more than a second.

const alertsPage = `/tenants/${TENANT_ID}/webhooks/${alertsWebhook.id}`;
const alertsPath = `${webhooksPath}/${alertsWebhook.id}`;
const alertsDeliveries = deliveriesPath(alertsWebhook);

type Requests = ReturnType<typeof stubWebhooksApi>;

const deliveryRequests = (requests: Requests) =>
  requests.filter((request) => request.path === alertsDeliveries);

function detail(table: HTMLElement, label: string) {
  return within(table).getByRole('rowheader', { name: label }).closest('tr')!;
}

/** The deliveries table (the details name events too). */
const deliveriesTable = () => within(screen.getByTestId('webhook-deliveries'));

/** The row of the deliveries table whose event column reads eventName. */
function deliveryRow(eventName: string) {
  return deliveriesTable().getByText(eventName).closest('tr')!;
}

/** The cells of a row, by column header. */
function cells(row: HTMLElement): Record<string, string> {
  const table = row.closest('table')!;
  const headers = within(table)
    .getAllByRole('columnheader')
    .map((th) => th.textContent ?? '');
  const values = within(row)
    .getAllByRole('cell')
    .map((td) => td.textContent ?? '');
  return Object.fromEntries(headers.map((header, index) => [header, values[index] ?? '']));
}

describe('WebhookPage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the settings, the deliveries and how to check signatures', async () => {
    const requests = stubWebhooksApi(tenantMember('VIEWER'));
    renderApp(alertsPage);

    expect(await screen.findByText('Webhook On-call alerts')).toBeInTheDocument();
    const details = screen.getByTestId('webhook-details');
    expect(detail(details, 'URL')).toHaveTextContent('https://hooks.example.com/replication');
    expect(detail(details, 'Events')).toHaveTextContent(
      'OperationFailedReplicationOperationMissedThreshold',
    );
    expect(detail(details, 'Rules')).toHaveTextContent('All rules, including rules created later');
    expect(detail(details, 'Status')).toHaveTextContent('ENABLED');
    expect(detail(details, 'Endpoint')).toHaveTextContent(/^EndpointFailingsince .+was refused\.$/);
    expect(detail(details, 'Last attempt')).not.toHaveTextContent('answered');
    expect(detail(details, 'Last attempt')).toHaveTextContent('2026');

    const deliveries = await screen.findByTestId('webhook-deliveries');
    expect(
      within(deliveries)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual([
      'Event',
      'Object',
      'Destination',
      'Status',
      'Attempts',
      'Response',
      'Last error',
      'Event time',
      'Delivered at',
    ]);
    await within(deliveries).findByText('OperationFailedReplication');
    expect(cells(deliveryRow('OperationFailedReplication'))).toMatchObject({
      Event: 'OperationFailedReplicationDstPutObjectNotPermitted',
      Object: 'photos/raw/2026/cat.jpgversion v-cat-1',
      Destination: 'photos-replica',
      Status: 'DELIVERED',
      Attempts: '2',
      Response: '204',
      'Last error': '—',
    });
    const failed = cells(deliveryRow('TestEvent'));
    expect(failed).toMatchObject({
      Object: 'None (test event)',
      Destination: '—',
      Status: 'FAILED',
      Attempts: '10',
      Response: '500',
      'Delivered at': '—',
    });
    expect(failed['Last error']).toContain('Gave up after 10 attempts.');
    expect(Object.fromEntries(deliveryRequests(requests)[0]!.searchParams)).toEqual({
      limit: '50',
    });

    expect(screen.getByTestId('verify-snippet')).toHaveTextContent(
      "crypto.createHmac('sha256', secret).update(t + '.' + body).digest('hex')",
    );
    expect(screen.getByText('X-Replicator-Delivery')).toBeInTheDocument();
    // Reading is for everyone; changing and testing are not.
    for (const name of ['Send test event', 'Rotate secret', 'Delete']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
  });

  it('links the rules of a webhook for chosen rules', async () => {
    stubWebhooksApi(tenantMember('VIEWER'));
    renderApp(`/tenants/${TENANT_ID}/webhooks/${lateWebhook.id}`);

    const details = await screen.findByTestId('webhook-details');
    const rules = detail(details, 'Rules');
    expect(await within(rules).findByRole('link', { name: 'photos-to-replicas' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/rule-1`,
    );
    expect(within(rules).getByRole('link', { name: 'logs-archive' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/rules/rule-2`,
    );
    expect(detail(details, 'Status')).toHaveTextContent('DISABLED');
    expect(detail(details, 'Endpoint')).toHaveTextContent('No attempts yet');
    expect(detail(details, 'Last attempt')).toHaveTextContent('None since the URL was set');
    expect(await screen.findByText('No deliveries yet.')).toBeInTheDocument();
  });

  it('shows an endpoint that took the latest event as delivering, with its answer', async () => {
    stubWebhooksApi(tenantMember('VIEWER'), {
      [`GET ${webhooksPath}/${alertsWebhook.id}`]: () =>
        json(200, {
          ...alertsWebhook,
          endpoint: {
            state: 'HEALTHY',
            lastAttemptAt: '2026-03-07T09:40:00Z',
            lastResponseStatus: 204,
            lastError: null,
            failingSince: null,
          },
        }),
    });
    renderApp(alertsPage);

    const details = await screen.findByTestId('webhook-details');
    expect(detail(details, 'Endpoint')).toHaveTextContent(/^EndpointDelivering$/);
    expect(detail(details, 'Last attempt')).toHaveTextContent('answered 204');
  });

  it('filters the deliveries by status in the URL, starting again at the first page', async () => {
    const requests = stubWebhooksApi(tenantMember('VIEWER'), {
      [`GET ${alertsDeliveries}`]: ({ searchParams }) =>
        searchParams.get('status') === 'FAILED'
          ? json(200, page(failedDelivery))
          : json(200, { items: [deliveredDelivery, failedDelivery], nextCursor: 'next-1' }),
    });
    const { user, router } = renderApp(`${alertsPage}?cursor=c-2`);

    await screen.findByTestId('webhook-deliveries');
    await deliveriesTable().findByText('OperationFailedReplication');
    expect(deliveryRequests(requests)[0]!.searchParams.get('cursor')).toBe('c-2');

    await user.selectOptions(screen.getByLabelText('Status'), 'FAILED');

    await waitFor(() =>
      expect(deliveriesTable().queryByText('OperationFailedReplication')).not.toBeInTheDocument(),
    );
    expect(deliveryRow('TestEvent')).toHaveTextContent('FAILED');
    expect(router.state.location.search).toBe('?status=FAILED');
    expect(Object.fromEntries(deliveryRequests(requests).at(-1)!.searchParams)).toEqual({
      status: 'FAILED',
      limit: '50',
    });

    await user.selectOptions(screen.getByLabelText('Status'), 'All statuses');

    expect(await deliveriesTable().findByText('TestEvent')).toBeInTheDocument();
    expect(router.state.location.search).toBe('');
  });

  it('rotates the secret after confirmation and shows the new one once', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'), {
      [`POST ${alertsPath}/secret`]: () =>
        json(200, {
          ...alertsWebhook,
          updatedAt: '2026-03-07T10:00:00Z',
          secret: 'whsec_n3w',
        }),
    });
    const { user } = renderApp(alertsPage);

    await user.click(await screen.findByRole('button', { name: 'Rotate secret' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('The current secret stops working at once');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));

    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent(/^whsec_n3w$/);
    expect(
      screen.getByText('Copy this signing secret now. It will not be shown again.'),
    ).toBeVisible();
    const rotate = requests.find((request) => request.method === 'POST')!;
    expect(rotate.path).toBe(`${alertsPath}/secret`);
    expect(rotate.body).toBeUndefined();

    await user.click(screen.getByRole('button', { name: 'Done' }));

    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument();
    expect(screen.queryByText(/whsec_n3w/)).not.toBeInTheDocument();
  });

  it('sends a test event and shows its delivery', async () => {
    let tested = false;
    const queued = { ...failedDelivery, id: 'delivery-9', status: 'PENDING', attempts: 0 };
    const requests = stubWebhooksApi(tenantMember('OPERATOR'), {
      [`POST ${alertsPath}/test`]: () => {
        tested = true;
        return json(202, { deliveryId: 'delivery-9' });
      },
      [`GET ${alertsDeliveries}`]: () =>
        json(200, tested ? page(queued, deliveredDelivery) : page(deliveredDelivery)),
    });
    const { user } = renderApp(alertsPage);

    await screen.findByTestId('webhook-deliveries');
    await deliveriesTable().findByText('OperationFailedReplication');
    expect(deliveriesTable().queryByText('TestEvent')).not.toBeInTheDocument();
    // An OPERATOR tests, but does not change the webhook.
    for (const name of ['Rotate secret', 'Delete']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Send test event' }));

    await waitFor(() =>
      expect(
        screen
          .getAllByRole('status')
          .find((status) => status.textContent?.startsWith('Test event queued')),
      ).toHaveTextContent('Test event queued as delivery delivery-9'),
    );
    const test = requests.find((request) => request.method === 'POST')!;
    expect(test.path).toBe(`${alertsPath}/test`);
    expect(test.body).toBeUndefined();
    expect(await deliveriesTable().findByText('TestEvent')).toBeInTheDocument();
    expect(deliveryRow('TestEvent')).toHaveTextContent('PENDING');
  });

  it('polls while a delivery is pending, then at the idle pace, saying how fresh the list is', async () => {
    fakeClock();
    let calls = 0;
    const delivered = {
      ...pendingDelivery,
      status: 'DELIVERED' as const,
      attempts: 3,
      nextAttemptAt: null,
      responseStatus: 200,
      lastError: null,
      deliveredAt: '2026-03-07T09:20:05Z',
    };
    const requests = stubWebhooksApi(tenantMember('VIEWER'), {
      [`GET ${alertsDeliveries}`]: () => {
        calls += 1;
        return json(
          200,
          calls === 1
            ? page(pendingDelivery, deliveredDelivery)
            : calls === 2
              ? page(delivered, deliveredDelivery)
              : page(failedDelivery, delivered, deliveredDelivery),
        );
      },
    });
    renderApp(alertsPage);

    await screen.findByTestId('webhook-deliveries');
    await deliveriesTable().findByText('OperationMissedThreshold');
    const row = deliveryRow('OperationMissedThreshold');
    expect(row).toHaveTextContent('PENDING');
    expect(row).toHaveTextContent('next attempt');

    await elapse(DELIVERY_POLL_MS);
    await waitFor(() =>
      expect(deliveryRow('OperationMissedThreshold')).toHaveTextContent('DELIVERED'),
    );
    expect(deliveryRequests(requests)).toHaveLength(2);
    // the pending delivery was attempted meanwhile: the endpoint's state is fetched again
    const detailRequests = () => requests.filter((r) => r.path === alertsPath).length;
    await waitFor(() => expect(detailRequests()).toBe(2));
    const updated = screen.getByRole('status', { name: 'Deliveries updated just now' });

    await elapse(IDLE_POLL_MS - 1000);
    expect(deliveryRequests(requests)).toHaveLength(2);
    expect(updated).toHaveTextContent('Updated 14 s ago');

    // A new delivery, as one sent from the webhook's API (a test event).
    await elapse(1000);
    expect(await deliveriesTable().findByText('TestEvent')).toBeInTheDocument();
    expect(deliveryRequests(requests)).toHaveLength(3);
    expect(updated).toHaveTextContent('Updated just now');
  });

  it('polls only pages with a pending delivery', () => {
    expect(hasPendingDeliveries(undefined)).toBe(false);
    expect(hasPendingDeliveries(page(deliveredDelivery, failedDelivery))).toBe(false);
    expect(hasPendingDeliveries(page(deliveredDelivery, pendingDelivery))).toBe(true);
  });

  it('deletes the webhook after confirmation and returns to the list', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'), {
      [`DELETE ${alertsPath}`]: () => noContent(),
    });
    const { user, router } = renderApp(alertsPage);

    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('On-call alerts');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/webhooks`),
    );
    expect(
      requests.some((request) => request.method === 'DELETE' && request.path === alertsPath),
    ).toBe(true);
  });
});
