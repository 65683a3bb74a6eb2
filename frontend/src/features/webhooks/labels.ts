import type {
  ReplicationEventName,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpointState,
} from '../../api/types';

/** What each event reports, as AWS describes the S3 Replication events of S3 Event Notifications. */
export const EVENT_HELP: Record<ReplicationEventName, string> = {
  OperationFailedReplication:
    'An object version failed to replicate to a destination; the event carries the AWS failure reason, such as DstPutObjectNotPermitted or SrcKeyNotFound.',
  OperationMissedThreshold:
    "A version of a rule with replication time control (RTC) is still pending past the rule's threshold; sent once per version and destination.",
  OperationReplicatedAfterThreshold:
    "A version of a rule with replication time control was replicated, but later than the rule's threshold.",
};

export const DELIVERY_STATUS_COLORS: Record<WebhookDeliveryStatus, string> = {
  PENDING: 'blue',
  DELIVERED: 'green',
  FAILED: 'red',
};

/** What each delivery status means, for the help on the webhook's page. */
export const DELIVERY_STATUS_HELP: Record<WebhookDeliveryStatus, string> = {
  PENDING:
    'Not acknowledged yet: being sent, or waiting for its next attempt after the endpoint failed to answer 2xx.',
  DELIVERED: 'The endpoint answered 2xx.',
  FAILED: 'No 2xx answer after 10 attempts; the last error says why. The event is not sent again.',
};

/** The webhook's description, or its URL where it has none. */
export function webhookTitle(webhook: Webhook): string {
  return webhook.description ?? webhook.url;
}

/** Whether a delivery is a test event, which names no object. */
export function isTestEvent(delivery: WebhookDelivery): boolean {
  return delivery.eventName === 'TestEvent';
}

/** How the endpoint answered its latest delivery attempt, in words and colour. */
export const ENDPOINT_STATES: Record<WebhookEndpointState, { label: string; color: string }> = {
  HEALTHY: { label: 'Delivering', color: 'teal' },
  FAILING: { label: 'Failing', color: 'red' },
  NO_ATTEMPTS: { label: 'No attempts yet', color: 'gray' },
};
