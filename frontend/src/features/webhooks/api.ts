import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, withQuery } from '../../api/client';
import { PAGE_SIZE, pagePath } from '../../api/paging';
import { IDLE_POLL_MS, pollInterval } from '../../api/polling';
import type {
  TestEventQueued,
  Webhook,
  WebhookDeliveryPage,
  WebhookDeliveryStatus,
  WebhookInput,
  WebhookPage,
  WebhookWithSecret,
} from '../../api/types';

const webhooksPath = (tenantId: string) =>
  `/api/v1/tenants/${encodeURIComponent(tenantId)}/webhooks`;
const webhookPath = (tenantId: string, webhookId: string) =>
  `${webhooksPath(tenantId)}/${encodeURIComponent(webhookId)}`;

const webhookKeys = {
  lists: (tenantId: string) => ['webhooks', tenantId, 'list'] as const,
  list: (tenantId: string, cursor: string | null) =>
    ['webhooks', tenantId, 'list', { cursor }] as const,
  detail: (tenantId: string, webhookId: string) =>
    ['webhooks', tenantId, 'detail', webhookId] as const,
  deliveries: (tenantId: string, webhookId: string) =>
    ['webhooks', tenantId, 'deliveries', webhookId] as const,
  deliveryPage: (
    tenantId: string,
    webhookId: string,
    status: WebhookDeliveryStatus | null,
    cursor: string | null,
  ) => ['webhooks', tenantId, 'deliveries', webhookId, { status, cursor }] as const,
};

/** How often deliveries are fetched again while one of them is still being sent. */
export const DELIVERY_POLL_MS = 3000;

/** Whether a page of deliveries has one still being sent, so that the page is worth polling. */
export function hasPendingDeliveries(page: WebhookDeliveryPage | undefined): boolean {
  return page?.items.some((delivery) => delivery.status === 'PENDING') ?? false;
}

/** The webhook of an answer carrying its secret, without the secret: that is never cached. */
export function withoutSecret({ secret: _secret, ...webhook }: WebhookWithSecret): Webhook {
  return webhook;
}

/** One page of webhooks, oldest first. */
export function useWebhooks(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: webhookKeys.list(tenantId, cursor),
    queryFn: ({ signal }) =>
      apiFetch<WebhookPage>(pagePath(webhooksPath(tenantId), cursor), { signal }),
    placeholderData: keepPreviousData,
    // each endpoint's state is live: a failing one shows without a reload
    refetchInterval: IDLE_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function useWebhook(tenantId: string, webhookId: string) {
  return useQuery({
    queryKey: webhookKeys.detail(tenantId, webhookId),
    queryFn: ({ signal }) => apiFetch<Webhook>(webhookPath(tenantId, webhookId), { signal }),
    refetchInterval: IDLE_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** After a change, lists are stale; the changed webhook's detail is set from the answer, without a secret. */
function useStoreWebhook(tenantId: string) {
  const queryClient = useQueryClient();
  return (webhook: Webhook) => {
    queryClient.setQueryData(webhookKeys.detail(tenantId, webhook.id), webhook);
    return queryClient.invalidateQueries({ queryKey: webhookKeys.lists(tenantId) });
  };
}

/** Resolves to the webhook with its signing secret, which no later request returns. */
export function useCreateWebhook(tenantId: string) {
  const storeWebhook = useStoreWebhook(tenantId);
  return useMutation({
    mutationFn: (webhook: WebhookInput) =>
      apiFetch<WebhookWithSecret>(webhooksPath(tenantId), { method: 'POST', body: webhook }),
    onSuccess: (created) => storeWebhook(withoutSecret(created)),
  });
}

/** Replaces the webhook's settings; its secret stays. */
export function useUpdateWebhook(tenantId: string, webhookId: string) {
  const storeWebhook = useStoreWebhook(tenantId);
  return useMutation({
    mutationFn: (webhook: WebhookInput) =>
      apiFetch<Webhook>(webhookPath(tenantId, webhookId), { method: 'PUT', body: webhook }),
    onSuccess: storeWebhook,
  });
}

/** Deletes the webhook and its deliveries; the caller leaves its page, so it is not fetched again. */
export function useDeleteWebhook(tenantId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(webhookPath(tenantId, webhookId), { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.lists(tenantId) }),
  });
}

/** Replaces the signing secret (the old one stops working at once); resolves to the new one. */
export function useRotateWebhookSecret(tenantId: string, webhookId: string) {
  const storeWebhook = useStoreWebhook(tenantId);
  return useMutation({
    mutationFn: () =>
      apiFetch<WebhookWithSecret>(`${webhookPath(tenantId, webhookId)}/secret`, {
        method: 'POST',
      }),
    onSuccess: (rotated) => storeWebhook(withoutSecret(rotated)),
  });
}

/** Queues a test event; the webhook's deliveries are fetched again to show it. */
export function useSendTestEvent(tenantId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch<TestEventQueued>(`${webhookPath(tenantId, webhookId)}/test`, { method: 'POST' }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(tenantId, webhookId) }),
  });
}

/**
 * One page of the webhook's deliveries, newest first; polled every DELIVERY_POLL_MS while any of them is PENDING,
 * else every IDLE_POLL_MS (new events show), only while the tab is visible.
 */
export function useWebhookDeliveries(
  tenantId: string,
  webhookId: string,
  status: WebhookDeliveryStatus | null,
  cursor: string | null,
) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: webhookKeys.deliveryPage(tenantId, webhookId, status, cursor),
    queryFn: async ({ signal, queryKey }) => {
      const wasPending = hasPendingDeliveries(queryClient.getQueryData(queryKey));
      const page = await apiFetch<WebhookDeliveryPage>(
        withQuery(`${webhookPath(tenantId, webhookId)}/deliveries`, {
          status,
          cursor,
          limit: PAGE_SIZE,
        }),
        { signal },
      );
      if (wasPending) {
        // an attempt was made since: the webhook's endpoint state shows how it went
        void queryClient.invalidateQueries({ queryKey: webhookKeys.detail(tenantId, webhookId) });
      }
      return page;
    },
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      pollInterval(hasPendingDeliveries(query.state.data), DELIVERY_POLL_MS),
    refetchIntervalInBackground: false,
  });
}
