import { Badge, Group, Stack, Text } from '@mantine/core';
import type { ReplicationEventName, WebhookDeliveryStatus, WebhookEndpoint } from '../../api/types';
import { Timestamp } from '../../components/Timestamp';
import { DELIVERY_STATUS_COLORS, ENDPOINT_STATES } from './labels';

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
    <Badge variant="light" miw="max-content" color={enabled ? 'blue' : 'gray'}>
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

/** How the endpoint answered the latest attempt; a failing one also says since when and why. */
export function EndpointState({ endpoint }: { endpoint: WebhookEndpoint }) {
  const state = ENDPOINT_STATES[endpoint.state];
  return (
    <Stack gap={2} data-testid="endpoint-state">
      <Badge variant="light" miw="max-content" maw="max-content" color={state.color} tt="none">
        {state.label}
      </Badge>
      {endpoint.state === 'FAILING' && (
        <>
          <Text size="xs">
            since <Timestamp value={endpoint.failingSince} />
          </Text>
          {endpoint.lastError && (
            <Text size="xs" style={{ wordBreak: 'break-word' }}>
              {endpoint.lastError}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
