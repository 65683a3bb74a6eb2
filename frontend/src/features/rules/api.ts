import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, withQuery } from '../../api/client';
import { PAGE_SIZE, pagePath } from '../../api/paging';
import { IDLE_POLL_MS, pollInterval } from '../../api/polling';
import type {
  AwsReplicationConfigurationDocument,
  BucketRef,
  ImportedRules,
  ObjectStatusPage,
  ObjectStatusSummary,
  RetryQueued,
  RetryRequest,
  Rule,
  RuleHealthPage,
  RuleImport,
  RuleInput,
  RuleMetrics,
  RulePage,
} from '../../api/types';
import { type MetricsRange, metricsRangeKey, metricsWindow } from './metricsRange';
import { apiStatus, type ObjectFilter } from './objectFilter';

const rulesPath = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}/rules`;
const rulePath = (tenantId: string, ruleId: string) =>
  `${rulesPath(tenantId)}/${encodeURIComponent(ruleId)}`;

const ruleKeys = {
  lists: (tenantId: string) => ['rules', tenantId, 'list'] as const,
  health: (tenantId: string, cursor: string | null) =>
    ['rules', tenantId, 'replication', 'health', { cursor }] as const,
  list: (tenantId: string, cursor: string | null) =>
    ['rules', tenantId, 'list', { cursor }] as const,
  detail: (tenantId: string, ruleId: string) => ['rules', tenantId, 'detail', ruleId] as const,
  exports: (tenantId: string) => ['rules', tenantId, 'export'] as const,
  replication: (tenantId: string, ruleId: string) =>
    ['rules', tenantId, 'replication', ruleId] as const,
  metrics: (tenantId: string, ruleId: string, range: MetricsRange) =>
    ['rules', tenantId, 'replication', ruleId, 'metrics', metricsRangeKey(range)] as const,
  summary: (tenantId: string, ruleId: string) =>
    ['rules', tenantId, 'replication', ruleId, 'summary'] as const,
  objects: (tenantId: string, ruleId: string, filter: ObjectFilter, cursor: string | null) =>
    ['rules', tenantId, 'replication', ruleId, 'objects', { ...filter, cursor }] as const,
  export: (tenantId: string, source: BucketRef) =>
    ['rules', tenantId, 'export', { trustId: source.trustId, bucket: source.bucket }] as const,
};

/** One page of rules; polled every IDLE_POLL_MS while the tab is visible (rules created through the API show). */
export function useRules(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: ruleKeys.list(tenantId, cursor),
    queryFn: ({ signal }) => apiFetch<RulePage>(pagePath(rulesPath(tenantId), cursor), { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: IDLE_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function useRule(tenantId: string, ruleId: string) {
  return useQuery({
    queryKey: ruleKeys.detail(tenantId, ruleId),
    queryFn: ({ signal }) => apiFetch<Rule>(rulePath(tenantId, ruleId), { signal }),
  });
}

/** The AWS JSON of every rule of one source bucket; fetched only once enabled. */
export function useRulesExport(tenantId: string, source: BucketRef, enabled: boolean) {
  return useQuery({
    queryKey: ruleKeys.export(tenantId, source),
    queryFn: ({ signal }) =>
      apiFetch<AwsReplicationConfigurationDocument>(
        withQuery(`${rulesPath(tenantId)}/export`, { ...source }),
        { signal },
      ),
    enabled,
  });
}

/** After a change, lists and exports are stale; the changed rule's detail is set by the caller's answer. */
function useInvalidateRules(tenantId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ruleKeys.lists(tenantId) }),
      queryClient.invalidateQueries({ queryKey: ruleKeys.exports(tenantId) }),
    ]);
}

export function useCreateRule(tenantId: string) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateRules(tenantId);
  return useMutation({
    mutationFn: (rule: RuleInput) =>
      apiFetch<Rule>(rulesPath(tenantId), { method: 'POST', body: rule }),
    onSuccess: (rule) => {
      queryClient.setQueryData(ruleKeys.detail(tenantId, rule.id), rule);
      return invalidate();
    },
  });
}

/** Replaces the rule; also how it is enabled or disabled. */
export function useUpdateRule(tenantId: string, ruleId: string) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateRules(tenantId);
  return useMutation({
    mutationFn: (rule: RuleInput) =>
      apiFetch<Rule>(rulePath(tenantId, ruleId), { method: 'PUT', body: rule }),
    onSuccess: (rule) => {
      queryClient.setQueryData(ruleKeys.detail(tenantId, ruleId), rule);
      return invalidate();
    },
  });
}

/** Deletes the rule; the caller leaves its page first, so the deleted rule is not fetched again. */
export function useDeleteRule(tenantId: string, ruleId: string) {
  const invalidate = useInvalidateRules(tenantId);
  return useMutation({
    mutationFn: () => apiFetch<void>(rulePath(tenantId, ruleId), { method: 'DELETE' }),
    onSuccess: () => invalidate(),
  });
}

/** Creates rules from an AWS replication configuration; the server refuses the whole document or none of it. */
export function useImportRules(tenantId: string) {
  const invalidate = useInvalidateRules(tenantId);
  return useMutation({
    mutationFn: (body: RuleImport) =>
      apiFetch<ImportedRules>(`${rulesPath(tenantId)}/import`, { method: 'POST', body }),
    onSuccess: () => invalidate(),
  });
}

/** How often replication figures are fetched again while versions are still pending. */
export const REPLICATION_POLL_MS = 5000;

/** Whether any destination still has versions waiting to be replicated. */
export function hasPending(metrics: RuleMetrics | undefined): boolean {
  return metrics?.destinations.some((destination) => destination.operationsPending > 0) ?? false;
}

/** Whether any rule of the page has work going: versions pending or being retried. */
export function hasWorkGoing(page: RuleHealthPage | undefined): boolean {
  return (
    page?.items.some((rule) =>
      rule.destinations.some((destination) => destination.operationsPending > 0),
    ) ?? false
  );
}

/**
 * Every rule's health now, a page at a time in the order of the rules list (the overview); polled
 * every REPLICATION_POLL_MS while versions are pending, else every IDLE_POLL_MS, only while the tab
 * is visible.
 */
export function useRuleHealth(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: ruleKeys.health(tenantId, cursor),
    queryFn: ({ signal }) =>
      apiFetch<RuleHealthPage>(pagePath(`${rulesPath(tenantId)}/health`, cursor), { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => pollInterval(hasWorkGoing(query.state.data), REPLICATION_POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/**
 * Per-destination figures over the range: a preset's ends when fetched (so each poll moves the
 * window on), a custom range's stays where it is (each poll brings the pending figures up to date);
 * polled every REPLICATION_POLL_MS while versions are pending, else every IDLE_POLL_MS (new
 * replications show), only while the tab is visible. A change of range keeps showing the previous
 * figures until the new ones arrive.
 */
export function useRuleMetrics(tenantId: string, ruleId: string, range: MetricsRange) {
  return useQuery({
    queryKey: ruleKeys.metrics(tenantId, ruleId, range),
    queryFn: ({ signal }) =>
      apiFetch<RuleMetrics>(
        withQuery(`${rulePath(tenantId, ruleId)}/metrics`, { ...metricsWindow(range) }),
        { signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => pollInterval(hasPending(query.state.data), REPLICATION_POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/**
 * Object counts by status and failure reason; polled as the metrics are, often while the caller
 * says versions are pending.
 */
export function useRuleObjectSummary(tenantId: string, ruleId: string, pending: boolean) {
  return useQuery({
    queryKey: ruleKeys.summary(tenantId, ruleId),
    queryFn: ({ signal }) =>
      apiFetch<ObjectStatusSummary>(`${rulePath(tenantId, ruleId)}/objects/summary`, { signal }),
    refetchInterval: pollInterval(pending, REPLICATION_POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/** One page of the rule's object versions that the filter picks; polled as the metrics are. */
export function useRuleObjects(
  tenantId: string,
  ruleId: string,
  filter: ObjectFilter,
  cursor: string | null,
  pending: boolean,
) {
  return useQuery({
    queryKey: ruleKeys.objects(tenantId, ruleId, filter, cursor),
    queryFn: ({ signal }) =>
      apiFetch<ObjectStatusPage>(
        withQuery(`${rulePath(tenantId, ruleId)}/objects`, {
          status: apiStatus(filter.status),
          prefix: filter.prefix,
          destination: filter.destination,
          failureReason: filter.failureReason,
          limit: PAGE_SIZE,
          cursor,
        }),
        { signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval(pending, REPLICATION_POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/** Which failed versions a retry queues again: those of some keys, those failed for one reason, or (null) all. */
export type RetrySelection =
  Required<Pick<RetryRequest, 'keys'>> | Required<Pick<RetryRequest, 'failureReason'>> | null;

/** A selection as a string, to tell which retry button is the one under way. */
export function retryKey(selection: RetrySelection): string {
  if (selection === null) {
    return 'all';
  }
  return 'keys' in selection
    ? `keys:${selection.keys.join('\u0000')}`
    : `reason:${selection.failureReason}`;
}

/**
 * Queues failed object versions for replication again: those of the given keys (every failed version of each, at
 * every destination), those failed for one reason, or all of them. Summary, metrics and objects are stale afterwards.
 */
export function useRetryFailedObjects(tenantId: string, ruleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (selection: RetrySelection) =>
      apiFetch<RetryQueued>(`${rulePath(tenantId, ruleId)}/objects/retry`, {
        method: 'POST',
        body: selection ?? undefined,
      }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: ruleKeys.replication(tenantId, ruleId) }),
  });
}
