// Shapes of the Replicator REST API (/api/v1), JSON in camelCase: names for the types `npm run generate`
// (openapi-typescript) writes to ./generated/schema.d.ts from the repository's openapi.yaml, the API's contract.
// Nothing here is written by hand: each type is a schema of the contract (components['schemas']), a part of one, or
// the body of an operation the contract does not name. Change openapi.yaml, not these types.

import { enumValues } from './enumValues';
import type { components, operations } from './generated/schema';

type Schemas = components['schemas'];

/** The application/json body of an operation's answer with the given status (unknown if there is none). */
type ResponseBody<
  Operation extends keyof operations,
  Status extends keyof operations[Operation]['responses'],
> = operations[Operation]['responses'][Status] extends {
  content: { 'application/json': infer Body };
}
  ? Body
  : unknown;

/** The application/json body of an operation's request (unknown if there is none). */
type RequestBody<Operation extends keyof operations> =
  NonNullable<operations[Operation]['requestBody']> extends {
    content: { 'application/json': infer Body };
  }
    ? Body
    : unknown;

export type Role = Schemas['Role'];
export const ROLES = enumValues<Role>()(['ADMIN', 'OPERATOR', 'VIEWER']);

/** The signed-in principal, from GET /api/v1/auth/me (and the body of a successful login). */
export type Me = Schemas['Me'];

/** Body of POST /api/v1/auth/login: a PasswordLogin or a TokenLogin, never both. */
export type Login = Schemas['Login'];
export type PasswordLogin = Schemas['PasswordLogin'];
/** Signs in with an API token or the platform administrator token. */
export type TokenLogin = Schemas['TokenLogin'];

export type Tenant = Schemas['Tenant'];
export type TenantPage = Schemas['TenantPage'];
export type CreateTenant = Schemas['CreateTenant'];

export type Token = Schemas['Token'];
export type TokenPage = Schemas['TokenPage'];
export type CreateToken = Schemas['CreateToken'];
/** Returned once, by POST .../tokens: the only response that carries the secret. */
export type CreatedToken = Schemas['CreatedToken'];

export type User = Schemas['User'];
export type UserPage = Schemas['UserPage'];
export type CreateUser = Schemas['CreateUser'];

export type AuditEntry = Schemas['AuditEntry'];
export type AuditEntryPage = Schemas['AuditEntryPage'];

export type TrustType = Schemas['TrustType'];
export const TRUST_TYPES = enumValues<TrustType>()(['STATIC', 'ASSUME_ROLE']);

export type Compatibility = Schemas['Compatibility'];
export const COMPATIBILITIES = enumValues<Compatibility>()(['AUTO', 'AWS', 'S3_COMPATIBLE']);

/** How Replicator reaches a tenant's buckets. The secret access key is write-only: no response carries it. */
export type Trust = Schemas['Trust'];
export type TrustPage = Schemas['TrustPage'];
/** The most recent verification of a trust, of whichever bucket. */
export type TrustLastVerification = NonNullable<Trust['lastVerification']>;
/** Body of POST .../trusts. */
export type CreateTrust = Schemas['CreateTrust'];
/** Body of PUT .../trusts/{id}, which replaces the settings; leaving out secretAccessKey keeps the stored secret. */
export type UpdateTrust = Schemas['UpdateTrust'];

/** Body of POST .../trusts/{id}/verify. */
export type VerifyRequest = Schemas['VerifyRequest'];
/** Answer of POST .../trusts/{id}/verify, and each bucket's newest in GET .../trusts/{id}/verifications. */
export type VerificationReport = Schemas['VerificationReport'];
export type VerificationList = Schemas['VerificationList'];
export type TrustCheck = VerificationReport['checks'][number];
export type TrustCheckState = TrustCheck['state'];

export type RuleStatus = Schemas['RuleStatus'];
export const RULE_STATUSES = enumValues<RuleStatus>()(['ENABLED', 'DISABLED']);

export type StorageClass = Schemas['StorageClass'];
/**
 * The storage classes the dashboard offers for replicas (none keeps the source object's class): the contract's
 * except OUTPOSTS, SNOW and EXPRESS_ONEZONE.
 */
export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'GLACIER_IR',
  'DEEP_ARCHIVE',
] as const satisfies readonly StorageClass[];

/** Body of POST .../rules and PUT .../rules/{id} (which replaces the rule). */
export type RuleInput = Schemas['RuleInput'];
/** A bucket reached through one of the tenant's trusts. */
export type BucketRef = RuleInput['source'];
/** One destination of a rule, as sent: empty optional settings are left out. */
export type RuleDestinationInput = RuleInput['destinations'][number];
/** A replication rule: one source bucket to one or more destinations, with AWS S3 Replication semantics. */
export type Rule = Schemas['Rule'];
export type RulePage = Schemas['RulePage'];
export type RuleDestination = Rule['destinations'][number];

/** A bucket's replication configuration as AWS writes it (get-bucket-replication), from GET .../rules/export. */
export type AwsReplicationConfigurationDocument = Schemas['AwsReplicationConfigurationDocument'];
/** The bare {Role, Rules} document, as put-bucket-replication takes it. */
export type AwsReplicationConfiguration = Schemas['AwsReplicationConfiguration'];
/** Body of POST .../rules/import: an AWS replication configuration and the trusts that reach its buckets. */
export type RuleImport = Schemas['RuleImport'];
/** Answer of POST .../rules/import: the rules created. */
export type ImportedRules = ResponseBody<'importReplicationConfiguration', 201>;

/** RFC 9457 application/problem+json, as every API error is sent. */
export type Problem = Schemas['Problem'];

/** A rule's replication figures over a window (`GET .../rules/{ruleId}/metrics`). */
export type RuleMetrics = Schemas['RuleMetrics'];
/** One destination's replication figures over the window. */
export type DestinationMetrics = RuleMetrics['destinations'][number];
/** What finished in one minute (`at`, the start of the minute) for one destination. */
export type MetricPoint = DestinationMetrics['series'][number];
/** The most versions, and their bytes, waiting at once in the step starting at `at`. */
export type PendingPoint = DestinationMetrics['pendingSeries'][number];

/** How a rule's replication is doing now (`GET .../rules/health`), decided by the server. */
export type HealthState = Schemas['HealthState'];
/** A rule's health now (`GET .../rules/health`): the worst of its destinations'. */
export type RuleHealth = Schemas['RuleHealth'];
export type RuleHealthPage = Schemas['RuleHealthPage'];
/** One destination of a rule, as the overview shows it: the last hour's figures and their state. */
export type DestinationHealth = RuleHealth['destinations'][number];

/** One object version's replication to one destination (`GET .../rules/{ruleId}/objects`). */
export type ObjectStatus = Schemas['ObjectStatus'];
export type ObjectStatusPage = ResponseBody<'listObjectStatuses', 200>;
export type ObjectReplicationStatus = Schemas['ObjectReplicationStatus'];
/** Counts of a rule's object versions (`GET .../rules/{ruleId}/objects/summary`). */
export type ObjectStatusSummary = ResponseBody<'getObjectStatusSummary', 200>;
/** Body of POST .../rules/{ruleId}/objects/retry: which failed versions to queue again (none: all). */
export type RetryRequest = RequestBody<'retryFailedObjects'>;
/** Answer of POST .../rules/{ruleId}/objects/retry. */
export type RetryQueued = ResponseBody<'retryFailedObjects', 202>;

/** Body of POST .../batch-jobs: exactly one of filter and manifest. */
export type BatchJobRequest = Schemas['BatchJobRequest'];
/** The versions of the rule's source bucket a filter job replicates; all conditions must match. */
export type BatchJobFilterInput = NonNullable<BatchJobRequest['filter']>;
/**
 * The manifest of a job, sent with it: the text of a CSV (`bucket,key,versionId` lines, no header, keys possibly
 * URL-encoded as in AWS manifests).
 */
export type CsvManifest = Schemas['CsvManifest'];
/** The manifest of a job as an object in a bucket, read through a trust. */
export type ManifestObject = Schemas['ManifestObject'];
/** Where a completion report (CSV) is written when the job ends. */
export type BatchJobReportInput = NonNullable<BatchJobRequest['report']>;
/** A batch replication job: existing versions of a rule's source bucket replicated on demand. */
export type BatchJob = Schemas['BatchJob'];
export type BatchJobPage = Schemas['BatchJobPage'];

export type BatchJobStatus = Schemas['BatchJobStatus'];
export const BATCH_JOB_STATUSES = enumValues<BatchJobStatus>()([
  'PREPARING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
]);

/** Which versions a filter job picks, by their replication status for the rule (as S3 Batch Replication). */
export type BatchReplicationStatus = Schemas['BatchReplicationStatus'];
export const BATCH_REPLICATION_STATUSES = enumValues<BatchReplicationStatus>()([
  'NONE',
  'FAILED',
  'COMPLETED',
  'REPLICA',
]);

export type BatchReportScope = Schemas['BatchReportScope'];
export const BATCH_REPORT_SCOPES = enumValues<BatchReportScope>()([
  'ALL_TASKS',
  'FAILED_TASKS_ONLY',
]);

/** Body of POST .../webhooks and PUT .../webhooks/{id} (which replaces the settings, not the secret). */
export type WebhookInput = Schemas['WebhookInput'];
/** Where replication events are POSTed. The signing secret is in WebhookWithSecret only. */
export type Webhook = Schemas['Webhook'];
export type WebhookPage = Schemas['WebhookPage'];
/** Returned by creating a webhook and rotating its secret: the only responses carrying the secret. */
export type WebhookWithSecret = Schemas['WebhookWithSecret'];

/** The AWS S3 Replication events a webhook can receive, as S3 Event Notifications name them. */
export type ReplicationEventName = Schemas['ReplicationEventName'];
export const REPLICATION_EVENT_NAMES = enumValues<ReplicationEventName>()([
  'OperationFailedReplication',
  'OperationMissedThreshold',
  'OperationReplicatedAfterThreshold',
]);

/** How the URL answered the latest delivery attempt since it was set. */
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEndpointState = WebhookEndpoint['state'];
export const WEBHOOK_ENDPOINT_STATES = enumValues<WebhookEndpointState>()([
  'NO_ATTEMPTS',
  'HEALTHY',
  'FAILING',
]);

/** One event sent (or being sent) to a webhook, at least once. */
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryPage = Schemas['WebhookDeliveryPage'];
export type WebhookDeliveryStatus = Schemas['WebhookDeliveryStatus'];
export const WEBHOOK_DELIVERY_STATUSES = enumValues<WebhookDeliveryStatus>()([
  'PENDING',
  'DELIVERED',
  'FAILED',
]);

/** Answer of POST .../webhooks/{id}/test. */
export type TestEventQueued = ResponseBody<'sendTestEvent', 202>;
