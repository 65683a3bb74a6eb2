import type { Me, Webhook, WebhookDelivery } from '../../api/types';
import { json } from '../../test/fetchStub';
import { TENANT_ID } from '../../test/renderApp';
import { logsRule, photosRule, stubRulesApi } from '../rules/rules.fixtures';

export const webhooksPath = `/api/v1/tenants/${TENANT_ID}/webhooks`;

/** Failed replications and missed thresholds of every rule, to the on-call service. */
export const alertsWebhook: Webhook = {
  id: 'webhook-1',
  url: 'https://hooks.example.com/replication',
  description: 'On-call alerts',
  events: ['OperationFailedReplication', 'OperationMissedThreshold'],
  ruleIds: null,
  enabled: true,
  endpoint: {
    state: 'FAILING',
    lastAttemptAt: '2026-03-07T09:30:00Z',
    lastResponseStatus: null,
    lastError: 'Could not reach the endpoint: the connection to hooks.example.com:443 was refused.',
    failingSince: '2026-03-07T09:10:00Z',
  },
  createdAt: '2026-03-07T08:00:00Z',
  updatedAt: '2026-03-07T08:00:00Z',
};

/** Late replications of both rules, disabled, without a description. */
export const lateWebhook: Webhook = {
  id: 'webhook-2',
  url: 'http://10.0.0.5:8080/events',
  description: null,
  events: ['OperationReplicatedAfterThreshold'],
  ruleIds: [photosRule.id, logsRule.id],
  enabled: false,
  endpoint: {
    state: 'NO_ATTEMPTS',
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: null,
    failingSince: null,
  },
  createdAt: '2026-03-07T08:30:00Z',
  updatedAt: '2026-03-07T08:45:00Z',
};

/** A failed replication of the photos rule, acknowledged at the second attempt. */
export const deliveredDelivery: WebhookDelivery = {
  id: 'delivery-3',
  eventName: 'OperationFailedReplication',
  ruleId: photosRule.id,
  sourceBucket: 'photos',
  key: 'raw/2026/cat.jpg',
  versionId: 'v-cat-1',
  destinationBucket: 'photos-replica',
  failureReason: 'DstPutObjectNotPermitted',
  eventTime: '2026-03-07T09:00:05Z',
  status: 'DELIVERED',
  attempts: 2,
  nextAttemptAt: null,
  responseStatus: 204,
  lastError: null,
  deliveredAt: '2026-03-07T09:00:07Z',
};

/** A test event the endpoint never acknowledged. */
export const failedDelivery: WebhookDelivery = {
  id: 'delivery-2',
  eventName: 'TestEvent',
  ruleId: null,
  sourceBucket: '',
  key: '',
  versionId: null,
  destinationBucket: '',
  failureReason: null,
  eventTime: '2026-03-07T08:10:00Z',
  status: 'FAILED',
  attempts: 10,
  nextAttemptAt: null,
  responseStatus: 500,
  lastError:
    'The endpoint answered HTTP 500; it must answer 2xx to acknowledge the event. Gave up after 10 attempts.',
  deliveredAt: null,
};

/** A missed threshold waiting for its third attempt. */
export const pendingDelivery: WebhookDelivery = {
  id: 'delivery-4',
  eventName: 'OperationMissedThreshold',
  ruleId: photosRule.id,
  sourceBucket: 'photos',
  key: 'raw/2026/dog.jpg',
  versionId: null,
  destinationBucket: 'photos-dr',
  failureReason: null,
  eventTime: '2026-03-07T09:20:00Z',
  status: 'PENDING',
  attempts: 2,
  nextAttemptAt: '2026-03-07T09:20:04Z',
  responseStatus: 503,
  lastError: 'The endpoint answered HTTP 503; it must answer 2xx to acknowledge the event.',
  deliveredAt: null,
};

export function page<T>(...items: T[]) {
  return { items, nextCursor: null };
}

export const deliveriesPath = (webhook: Webhook) => `${webhooksPath}/${webhook.id}/deliveries`;

/**
 * Stubs what the rules fixtures stub, the webhooks list (both), both webhooks' details, and their
 * deliveries: the alerts webhook's delivered and failed one, none for the other.
 */
export function stubWebhooksApi(me: Me, extra: Parameters<typeof stubRulesApi>[1] = {}) {
  return stubRulesApi(me, {
    [`GET ${webhooksPath}`]: () => json(200, page(alertsWebhook, lateWebhook)),
    [`GET ${webhooksPath}/${alertsWebhook.id}`]: () => json(200, alertsWebhook),
    [`GET ${webhooksPath}/${lateWebhook.id}`]: () => json(200, lateWebhook),
    [`GET ${deliveriesPath(alertsWebhook)}`]: () =>
      json(200, page(deliveredDelivery, failedDelivery)),
    [`GET ${deliveriesPath(lateWebhook)}`]: () => json(200, page()),
    ...extra,
  });
}
