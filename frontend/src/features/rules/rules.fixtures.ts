import type {
  Me,
  ObjectStatusPage,
  ObjectStatusSummary,
  Rule,
  RuleHealth,
  RuleMetrics,
} from '../../api/types';
import { json } from '../../test/fetchStub';
import { TENANT_ID } from '../../test/renderApp';
import { roleTrust, staticTrust, stubTrustsApi } from '../trusts/trusts.fixtures';

export const rulesPath = `/api/v1/tenants/${TENANT_ID}/rules`;

/** Two destinations, a prefix and tags, RTC on. */
export const photosRule: Rule = {
  id: 'rule-1',
  name: 'photos-to-replicas',
  status: 'ENABLED',
  priority: 10,
  source: { trustId: roleTrust.id, bucket: 'photos' },
  filter: { prefix: 'raw/', tags: { env: 'prod', team: 'media' } },
  destinations: [
    {
      trustId: staticTrust.id,
      bucket: 'photos-replica',
      storageClass: 'STANDARD_IA',
      ownerOverride: true,
      kmsKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/abcd-1234',
    },
    {
      trustId: roleTrust.id,
      bucket: 'photos-dr',
      storageClass: null,
      ownerOverride: false,
      kmsKeyId: null,
    },
  ],
  deleteMarkerReplication: false,
  replicaModifications: true,
  replicationTime: { enabled: true, thresholdMinutes: 15 },
  scanIntervalSeconds: 300,
  liveSince: '2026-03-05T10:00:00Z',
  createdAt: '2026-03-05T10:00:00Z',
  updatedAt: '2026-03-05T11:00:00Z',
};

/** One destination through a trust that is not in the trusts list, no filter, disabled. */
export const logsRule: Rule = {
  id: 'rule-2',
  name: 'logs-archive',
  status: 'DISABLED',
  priority: 0,
  source: { trustId: staticTrust.id, bucket: 'logs' },
  filter: { prefix: null, tags: {} },
  destinations: [
    {
      trustId: 'trust-gone',
      bucket: 'logs-archive',
      storageClass: 'DEEP_ARCHIVE',
      ownerOverride: false,
      kmsKeyId: null,
    },
  ],
  deleteMarkerReplication: true,
  replicaModifications: false,
  replicationTime: { enabled: false, thresholdMinutes: 15 },
  scanIntervalSeconds: 0,
  liveSince: '2026-03-06T10:00:00Z',
  createdAt: '2026-03-06T10:00:00Z',
  updatedAt: '2026-03-06T10:00:00Z',
};

export const photosExport = {
  ReplicationConfiguration: {
    Role: 'arn:aws:iam::123456789012:role/replicator',
    Rules: [
      {
        ID: 'photos-to-replicas',
        Priority: 10,
        Status: 'Enabled',
        Filter: { Prefix: 'raw/' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        Destination: { Bucket: 'arn:aws:s3:::photos-replica' },
      },
    ],
  },
};

/** Nothing replicated yet: each destination with zeros, as a rule just created reports. */
export function emptyMetrics(rule: Rule): RuleMetrics {
  return {
    from: '2026-03-07T09:00:00Z',
    to: '2026-03-07T10:00:00Z',
    destinations: rule.destinations.map(({ bucket }) => ({
      bucket,
      operationsPending: 0,
      bytesPending: 0,
      operationsReplicated: 0,
      bytesReplicated: 0,
      operationsFailed: 0,
      operationsRetrying: 0,
      replicationLatencySeconds: 0,
      latencyP50Seconds: 0,
      latencyP99Seconds: 0,
      operationsMissedThreshold: 0,
      operationsReplicatedAfterThreshold: 0,
      series: [],
      pendingSeries: [],
    })),
  };
}

/** A rule's health with every destination in one state and nothing going on (an hour of empty minutes). */
export function ruleHealth(rule: Rule, state: RuleHealth['state'] = 'HEALTHY'): RuleHealth {
  return {
    ruleId: rule.id,
    name: rule.name,
    status: rule.status,
    state,
    thresholdMinutes: rule.replicationTime.thresholdMinutes,
    at: '2026-03-07T10:00:00Z',
    destinations: rule.destinations.map(({ trustId, bucket }) => ({
      trustId,
      bucket,
      state,
      operationsPending: 0,
      bytesPending: 0,
      operationsRetrying: 0,
      replicationLatencySeconds: 0,
      operationsFailed: 0,
      throughput: Array.from({ length: 60 }, (_, minute) => ({
        at: new Date(Date.parse('2026-03-07T09:00:00Z') + minute * 60_000).toISOString(),
        operationsReplicated: 0,
        bytesReplicated: 0,
      })),
    })),
  };
}

export const emptySummary: ObjectStatusSummary = { byStatus: {}, byFailureReason: {} };

export const noObjects: ObjectStatusPage = { items: [], nextCursor: null };

/**
 * Stubs the principal, the tenant, the trusts, the rule list, both rules' details, and their
 * replication status (nothing replicated, nothing failed).
 */
export function stubRulesApi(me: Me, extra: Parameters<typeof stubTrustsApi>[1] = {}) {
  const replication = Object.fromEntries(
    [photosRule, logsRule].flatMap((rule) => [
      [`GET ${rulesPath}/${rule.id}/metrics`, () => json(200, emptyMetrics(rule))],
      [`GET ${rulesPath}/${rule.id}/objects/summary`, () => json(200, emptySummary)],
      [`GET ${rulesPath}/${rule.id}/objects`, () => json(200, noObjects)],
    ]),
  ) as Parameters<typeof stubTrustsApi>[1];
  return stubTrustsApi(me, {
    [`GET ${rulesPath}`]: () => json(200, { items: [photosRule, logsRule], nextCursor: null }),
    [`GET ${rulesPath}/health`]: () =>
      json(200, {
        items: [ruleHealth(photosRule), ruleHealth(logsRule, 'PAUSED')],
        nextCursor: null,
      }),
    [`GET ${rulesPath}/${photosRule.id}`]: () => json(200, photosRule),
    [`GET ${rulesPath}/${logsRule.id}`]: () => json(200, logsRule),
    ...replication,
    ...extra,
  });
}
