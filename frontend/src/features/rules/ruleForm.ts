import type { FieldPath } from 'react-hook-form';
import { z } from 'zod';
import {
  RULE_STATUSES,
  type Rule,
  type RuleDestinationInput,
  type RuleInput,
  type StorageClass,
} from '../../api/types';

export const MAX_TAGS = 10;
export const MAX_DESTINATIONS = 20;
export const DEFAULT_THRESHOLD_MINUTES = 15;
export const DEFAULT_SCAN_INTERVAL_SECONDS = 300;

/** As the server checks bucket names: AWS names, and the upper case some S3-compatible stores allow. */
const BUCKET_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/;
const BUCKET_MESSAGE = 'Enter a bucket name: 3 to 63 letters, digits, dots and hyphens';

export const bucketName = z
  .string()
  .trim()
  .min(1, 'Enter the name of the bucket')
  .min(3, BUCKET_MESSAGE)
  .max(63, BUCKET_MESSAGE)
  .regex(BUCKET_PATTERN, BUCKET_MESSAGE);

export const trustChoice = z.string().min(1, 'Choose a trust');

function wholeNumber(min: number, max: number, message: string) {
  return z
    .number({ error: 'Enter a whole number' })
    .int('Enter a whole number')
    .min(min, message)
    .max(max, message);
}

const tag = z.object({
  key: z
    .string()
    .min(1, 'Enter the tag key, or remove the tag')
    .max(128, 'Use at most 128 characters'),
  value: z.string().max(256, 'Use at most 256 characters'),
});

const destination = z.object({
  trustId: trustChoice,
  bucket: bucketName,
  storageClass: z.string(),
  ownerOverride: z.boolean(),
  kmsKeyId: z.string().trim().max(2048, 'Use at most 2048 characters'),
});

const isThreshold = (minutes: number) =>
  Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440;

/** Mirrors the server's checks of a rule. */
export const ruleSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name for the rule')
      .max(255, 'Use at most 255 characters'),
    status: z.enum(RULE_STATUSES),
    priority: wholeNumber(0, 2147483647, 'Enter 0 to 2147483647'),
    source: z.object({ trustId: trustChoice, bucket: bucketName }),
    filter: z.object({
      prefix: z.string().max(1024, 'Use at most 1024 characters'),
      tags: z.array(tag).max(MAX_TAGS, `Use at most ${MAX_TAGS} tags`),
    }),
    destinations: z
      .array(destination)
      .min(1, 'Add a destination')
      .max(MAX_DESTINATIONS, `Use at most ${MAX_DESTINATIONS} destinations`),
    deleteMarkerReplication: z.boolean(),
    replicaModifications: z.boolean(),
    replicationTime: z.object({ enabled: z.boolean(), thresholdMinutes: z.number() }),
    scanIntervalSeconds: z
      .number({ error: 'Enter a whole number' })
      .int('Enter a whole number')
      .refine(
        (seconds) => seconds === 0 || (seconds >= 30 && seconds <= 86400),
        'Enter 0 (change events only), or 30 to 86400 seconds',
      ),
  })
  .superRefine(
    (values, context) => {
      const issue = (path: (string | number)[], message: string) =>
        context.addIssue({ code: 'custom', path, message });
      const keys = new Set<string>();
      values.filter.tags.forEach(({ key }, index) => {
        if (keys.has(key)) {
          issue(['filter', 'tags', index, 'key'], 'This key is already used');
        }
        keys.add(key);
      });
      const buckets = new Set<string>();
      values.destinations.forEach(({ trustId, bucket }, index) => {
        const id = JSON.stringify([trustId, bucket]);
        if (trustId === values.source.trustId && bucket === values.source.bucket) {
          issue(['destinations', index, 'bucket'], 'A destination cannot be the source bucket');
        } else if (buckets.has(id)) {
          issue(['destinations', index, 'bucket'], 'This destination is already listed');
        }
        buckets.add(id);
      });
      if (values.deleteMarkerReplication && values.filter.tags.length > 0) {
        issue(['deleteMarkerReplication'], 'Not allowed together with a tag filter');
      }
      if (values.replicationTime.enabled && !isThreshold(values.replicationTime.thresholdMinutes)) {
        issue(['replicationTime', 'thresholdMinutes'], 'Enter 1 to 1440 minutes');
      }
      // Checked alongside the fields' own errors, so that every mistake shows at once.
    },
    { when: () => true },
  );

export type RuleFormValues = z.infer<typeof ruleSchema>;
export type RuleFormPath = FieldPath<RuleFormValues>;
export type DestinationFormValues = RuleFormValues['destinations'][number];

export function emptyDestination(): DestinationFormValues {
  return { trustId: '', bucket: '', storageClass: '', ownerOverride: false, kmsKeyId: '' };
}

export function emptyRuleForm(): RuleFormValues {
  return {
    name: '',
    status: 'ENABLED',
    priority: 0,
    source: { trustId: '', bucket: '' },
    filter: { prefix: '', tags: [] },
    destinations: [emptyDestination()],
    deleteMarkerReplication: false,
    replicaModifications: false,
    replicationTime: { enabled: false, thresholdMinutes: DEFAULT_THRESHOLD_MINUTES },
    scanIntervalSeconds: DEFAULT_SCAN_INTERVAL_SECONDS,
  };
}

export function ruleFormValues(rule: Rule): RuleFormValues {
  return {
    name: rule.name,
    status: rule.status,
    priority: rule.priority,
    source: { ...rule.source },
    filter: {
      prefix: rule.filter.prefix ?? '',
      tags: Object.entries(rule.filter.tags).map(([key, value]) => ({ key, value })),
    },
    destinations: rule.destinations.map((target) => ({
      trustId: target.trustId,
      bucket: target.bucket,
      storageClass: target.storageClass ?? '',
      ownerOverride: target.ownerOverride,
      kmsKeyId: target.kmsKeyId ?? '',
    })),
    deleteMarkerReplication: rule.deleteMarkerReplication,
    replicaModifications: rule.replicaModifications,
    replicationTime: { ...rule.replicationTime },
    scanIntervalSeconds: rule.scanIntervalSeconds,
  };
}

function destinationInput(target: {
  trustId: string;
  bucket: string;
  storageClass: string | null;
  ownerOverride: boolean;
  kmsKeyId: string | null;
}): RuleDestinationInput {
  return {
    trustId: target.trustId,
    bucket: target.bucket,
    // A class from the select or one the rule has: the contract types Rule's storageClass as any string, though
    // the server only keeps StorageClass values; it checks what it gets.
    ...(target.storageClass ? { storageClass: target.storageClass as StorageClass } : {}),
    ownerOverride: target.ownerOverride,
    ...(target.kmsKeyId ? { kmsKeyId: target.kmsKeyId } : {}),
  };
}

function filterInput(prefix: string | null, tags: Record<string, string>): RuleInput['filter'] {
  return {
    ...(prefix ? { prefix } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
}

/**
 * The body of POST .../rules and PUT .../rules/{id}: tags as an object, without empty optional fields.
 * A hidden, invalid RTC threshold (RTC off) goes back to the default rather than blocking the save.
 */
export function toRuleInput(values: RuleFormValues): RuleInput {
  const tags = Object.fromEntries(values.filter.tags.map(({ key, value }) => [key, value]));
  const { enabled, thresholdMinutes } = values.replicationTime;
  return {
    name: values.name,
    status: values.status,
    priority: values.priority,
    source: { ...values.source },
    filter: filterInput(values.filter.prefix, tags),
    destinations: values.destinations.map(destinationInput),
    deleteMarkerReplication: values.filter.tags.length === 0 && values.deleteMarkerReplication,
    replicaModifications: values.replicaModifications,
    replicationTime: {
      enabled,
      thresholdMinutes: isThreshold(thresholdMinutes)
        ? thresholdMinutes
        : DEFAULT_THRESHOLD_MINUTES,
    },
    scanIntervalSeconds: values.scanIntervalSeconds,
  };
}

/** The whole rule as a PUT body, e.g. to enable or disable it without changing anything else. */
export function ruleInputOf(rule: Rule): RuleInput {
  return {
    name: rule.name,
    status: rule.status,
    priority: rule.priority,
    source: { ...rule.source },
    filter: filterInput(rule.filter.prefix, rule.filter.tags),
    destinations: rule.destinations.map(destinationInput),
    deleteMarkerReplication: rule.deleteMarkerReplication,
    replicaModifications: rule.replicaModifications,
    replicationTime: { ...rule.replicationTime },
    scanIntervalSeconds: rule.scanIntervalSeconds,
  };
}

const TOP_LEVEL_FIELDS = new Set<string>([
  'name',
  'status',
  'priority',
  'source.trustId',
  'source.bucket',
  'filter.prefix',
  'filter.tags',
  'destinations',
  'deleteMarkerReplication',
  'replicaModifications',
  'replicationTime.enabled',
  'scanIntervalSeconds',
]);
const TAG_FIELDS = new Set(['key', 'value']);
const DESTINATION_FIELDS = new Set([
  'trustId',
  'bucket',
  'storageClass',
  'ownerOverride',
  'kmsKeyId',
]);

function rowField(
  segments: string[],
  list: 'filter.tags' | 'destinations',
  rows: number,
  fields: Set<string>,
): RuleFormPath | undefined {
  const listLength = list.split('.').length;
  if (segments.slice(0, listLength).join('.') !== list || segments.length > listLength + 2) {
    return undefined;
  }
  const [index, leaf] = segments.slice(listLength);
  if (index === undefined || !/^\d+$/.test(index) || Number(index) >= rows) {
    return undefined;
  }
  if (leaf !== undefined && !fields.has(leaf)) {
    return undefined;
  }
  return [list, index, ...(leaf !== undefined ? [leaf] : [])].join('.') as RuleFormPath;
}

/**
 * Maps the segments of a server field path ("destinations[0].trustId", "filter.tags") to the form
 * input showing it, given the form's current values; undefined leaves the error to the alert.
 */
export function ruleFormField(values: RuleFormValues) {
  return (segments: string[]): RuleFormPath | undefined => {
    const path = segments.join('.');
    if (TOP_LEVEL_FIELDS.has(path)) {
      return path as RuleFormPath;
    }
    if (path === 'replicationTime.thresholdMinutes' && values.replicationTime.enabled) {
      return path;
    }
    return (
      rowField(segments, 'filter.tags', values.filter.tags.length, TAG_FIELDS) ??
      rowField(segments, 'destinations', values.destinations.length, DESTINATION_FIELDS)
    );
  };
}
