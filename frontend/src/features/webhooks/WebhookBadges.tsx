import { Badge, Group } from '@mantine/core';
import type { ReplicationEventName, WebhookDeliveryStatus } from '../../api/types';
import { DELIVERY_STATUS_COLORS } from './labels';

/** The events a webhook receives, one badge each. */
export function EventBadges({ events }: { events: ReplicationEventName[] }) {
  return (
    <Group gap={4}>
      {events.map((event) => (
        <Badge key={event} variant="outline" color="gray" tt="none" miw="max-content">
          {event}
        </Badge>
      ))}
    </Group>
  );
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge variant="light" miw="max-content" color={enabled ? 'green' : 'gray'}>
      {enabled ? 'ENABLED' : 'DISABLED'}
    </Badge>
  );
}

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  return (
    <Badge variant="light" miw="max-content" color={DELIVERY_STATUS_COLORS[status]}>
      {status}
    </Badge>
  );
}
