import { Code, Group, List, Loader, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { IDLE_POLL_MS } from '../../api/polling';
import { DELIVERY_POLL_MS, useWebhookDeliveries } from './api';
import { DELIVERY_STATUS_HELP, isTestEvent } from './labels';
import { DeliveryStatusBadge } from './WebhookBadges';

const STATUS_PARAM = 'status';

function statusOf(value: string | null): WebhookDeliveryStatus | null {
  return WEBHOOK_DELIVERY_STATUSES.find((status) => status === value) ?? null;
}

/** The deliveries' status filter, kept in the URL (?status=FAILED); changing it starts at the first page. */
function useStatusFilter(): [WebhookDeliveryStatus | null, (value: string) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const setStatus = (value: string) => {
    const next = new URLSearchParams(searchParams);
    if (value) {
      next.set(STATUS_PARAM, value);
    } else {
      next.delete(STATUS_PARAM);
    }
    next.delete('cursor');
    setSearchParams(next, { flushSync: true });
  };
  return [statusOf(searchParams.get(STATUS_PARAM)), setStatus];
}

const dash = (value: string | number | null) => (value === null || value === '' ? '—' : value);

const columns: Column<WebhookDelivery>[] = [
  {
    header: 'Event',
    cell: (delivery) => (
      <Stack gap={0}>
        <Text size="sm">{delivery.eventName}</Text>
        {delivery.failureReason && (
          <Text size="xs" c="red">
            {delivery.failureReason}
          </Text>
        )}
      </Stack>
    ),
  },
  {
    header: 'Object',
    cell: (delivery) =>
      isTestEvent(delivery) ? (
        <Text size="sm" c="dimmed">
          None (test event)
        </Text>
      ) : (
        <Stack gap={0}>
          <Code style={{ wordBreak: 'break-all' }}>
            {delivery.sourceBucket}/{delivery.key}
          </Code>
          {delivery.versionId && (
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              version {delivery.versionId}
            </Text>
          )}
        </Stack>
      ),
  },
  { header: 'Destination', cell: (delivery) => dash(delivery.destinationBucket) },
  {
    header: 'Status',
    cell: (delivery) => (
      <Stack gap={2}>
        <DeliveryStatusBadge status={delivery.status} />
        {delivery.status === 'PENDING' && delivery.nextAttemptAt && (
          <Text size="xs" c="dimmed">
            next attempt <Timestamp value={delivery.nextAttemptAt} />
          </Text>
        )}
      </Stack>
    ),
  },
  { header: 'Attempts', cell: (delivery) => delivery.attempts },
  { header: 'Response', cell: (delivery) => dash(delivery.responseStatus) },
  {
    header: 'Last error',
    cell: (delivery) =>
      delivery.lastError ? (
        <Text size="xs" style={{ wordBreak: 'break-word' }}>
          {delivery.lastError}
        </Text>
      ) : (
        '—'
      ),
  },
  { header: 'Event time', cell: (delivery) => <Timestamp value={delivery.eventTime} /> },
  { header: 'Delivered at', cell: (delivery) => <Timestamp value={delivery.deliveredAt} /> },
];

/** The webhook's deliveries, newest first, filtered by status; refreshed on their own (often while one is PENDING). */
export function WebhookDeliveries({
  tenantId,
  webhookId,
}: {
  tenantId: string;
  webhookId: string;
}) {
  const [status, setStatus] = useStatusFilter();
  const deliveries = useWebhookDeliveries(tenantId, webhookId, status, useCursorParam());
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Title order={2} size="h3">
          Deliveries
        </Title>
        {deliveries.isPlaceholderData && <Loader size="xs" aria-label="Loading" />}
        <UpdatedAgo updatedAt={deliveries.dataUpdatedAt} what="Deliveries" />
      </Group>
      <Text size="sm" c="dimmed">
        Each event sent to this webhook, newest first. A delivery is tried again with exponential
        backoff (1 s up to 5 min) until the endpoint answers 2xx, at most 10 times. The list
        refreshes on its own: every {DELIVERY_POLL_MS / 1000} seconds while a delivery is pending,
        else every {IDLE_POLL_MS / 1000} seconds.
      </Text>
      <List size="sm" spacing={4}>
        {WEBHOOK_DELIVERY_STATUSES.map((deliveryStatus) => (
          <List.Item key={deliveryStatus} icon={<DeliveryStatusBadge status={deliveryStatus} />}>
            {DELIVERY_STATUS_HELP[deliveryStatus]}
          </List.Item>
        ))}
      </List>
      <Group>
        <NativeSelect
          label="Status"
          value={status ?? ''}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={[{ value: '', label: 'All statuses' }, ...WEBHOOK_DELIVERY_STATUSES]}
        />
      </Group>
      <ProblemAlert error={deliveries.error} />
      <div data-testid="webhook-deliveries">
        <DataTable
          columns={columns}
          rows={deliveries.data?.items}
          rowKey={(delivery) => delivery.id}
          loading={deliveries.isPending}
          emptyText={status ? `No ${status} deliveries.` : 'No deliveries yet.'}
        />
      </div>
      <CursorPager nextCursor={deliveries.data?.nextCursor} />
    </Stack>
  );
}
