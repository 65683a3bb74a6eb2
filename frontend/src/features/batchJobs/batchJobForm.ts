import type { FieldPath } from 'react-hook-form';
import { z } from 'zod';
import {
  BATCH_REPLICATION_STATUSES,
  BATCH_REPORT_SCOPES,
  type BatchJobRequest,
  type BatchReplicationStatus,
} from '../../api/types';
import { bucketName, trustChoice } from '../rules/ruleForm';

/** Where the versions to replicate come from: a filter (the server generates the manifest) or a manifest. */
export const SOURCE_MODES = ['FILTER', 'CSV', 'BUCKET'] as const;
export type SourceMode = (typeof SOURCE_MODES)[number];

/** The largest manifest the form uploads; larger ones are read from a bucket instead. */
export const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;

const TOO_LARGE =
  'The manifest is larger than 10 MB: put it in a bucket and choose "Manifest in a bucket".';

/** Mirrors the server's checks of a job, for the part of the form the chosen mode uses. */
export const batchJobSchema = z
  .object({
    ruleId: z.string().min(1, 'Choose a rule'),
    description: z.string().trim().max(1000, 'Use at most 1000 characters'),
    source: z.enum(SOURCE_MODES),
    filter: z.object({
      replicationStatuses: z.array(z.enum(BATCH_REPLICATION_STATUSES)),
      /** datetime-local values ("2026-03-01T10:00"), in the browser's time zone; empty for none. */
      createdAfter: z.string(),
      createdBefore: z.string(),
      prefix: z.string().max(1024, 'Use at most 1024 characters'),
    }),
    /** Destination buckets of the rule; none means all. */
    destinations: z.array(z.string()),
    manifestFile: z.custom<File | null>((value) => value === null || value instanceof Blob),
    manifest: z.object({
      trustId: z.string(),
      bucket: z.string(),
      key: z.string(),
      versionId: z.string().trim(),
    }),
    report: z.object({
      enabled: z.boolean(),
      trustId: z.string(),
      bucket: z.string(),
      prefix: z.string().max(1024, 'Use at most 1024 characters'),
      scope: z.enum(BATCH_REPORT_SCOPES),
    }),
  })
  .superRefine(
    (values, context) => {
      const issue = (path: (string | number)[], message: string) =>
        context.addIssue({ code: 'custom', path, message });
      const check = (path: (string | number)[], schema: z.ZodType, value: unknown) => {
        const result = schema.safeParse(value);
        if (!result.success) {
          issue(path, result.error.issues[0]?.message ?? 'Invalid value');
        }
      };
      if (values.source === 'FILTER') {
        const { replicationStatuses, createdAfter, createdBefore } = values.filter;
        if (replicationStatuses.length === 0) {
          issue(['filter', 'replicationStatuses'], 'Choose at least one replication status');
        }
        const after = instant(createdAfter);
        const before = instant(createdBefore);
        if (after !== null && before !== null && after >= before) {
          issue(['filter', 'createdBefore'], 'Must be later than "Created after"');
        }
      }
      if (values.source === 'CSV') {
        const file = values.manifestFile;
        if (!file) {
          issue(['manifestFile'], 'Choose the manifest CSV file');
        } else if (file.size > MAX_MANIFEST_BYTES) {
          issue(['manifestFile'], TOO_LARGE);
        } else if (file.size === 0) {
          issue(['manifestFile'], 'The file is empty');
        }
      }
      if (values.source === 'BUCKET') {
        check(['manifest', 'trustId'], trustChoice, values.manifest.trustId);
        check(['manifest', 'bucket'], bucketName, values.manifest.bucket);
        if (values.manifest.key.length === 0) {
          issue(['manifest', 'key'], 'Enter the key of the manifest object');
        }
      }
      if (values.report.enabled) {
        check(['report', 'trustId'], trustChoice, values.report.trustId);
        check(['report', 'bucket'], bucketName, values.report.bucket);
      }
      // Checked alongside the fields' own errors, so that every mistake shows at once.
    },
    { when: () => true },
  );

export type BatchJobFormValues = z.infer<typeof batchJobSchema>;
export type BatchJobFormPath = FieldPath<BatchJobFormValues>;

export function emptyBatchJobForm(ruleId: string): BatchJobFormValues {
  return {
    ruleId,
    description: '',
    source: 'FILTER',
    filter: { replicationStatuses: ['NONE'], createdAfter: '', createdBefore: '', prefix: '' },
    destinations: [],
    manifestFile: null,
    manifest: { trustId: '', bucket: '', key: '', versionId: '' },
    report: { enabled: false, trustId: '', bucket: '', prefix: '', scope: 'ALL_TASKS' },
  };
}

/** A datetime-local value as epoch milliseconds; null when empty or not a time. */
function instant(value: string): number | null {
  if (!value) {
    return null;
  }
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : time;
}

/** A datetime-local value (browser time zone) as the ISO instant the API takes. */
export function isoInstant(value: string): string {
  return new Date(value).toISOString();
}

/** The statuses in their usual order, whatever order they were ticked in. */
function ordered(statuses: BatchReplicationStatus[]): BatchReplicationStatus[] {
  return BATCH_REPLICATION_STATUSES.filter((status) => statuses.includes(status));
}

/** Reads a file as text (FileReader: Blob.text() is missing from some test DOMs and old browsers). */
export function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(file);
  });
}

/**
 * The body of POST .../batch-jobs for the chosen mode: the filter or the manifest (csv is the
 * uploaded file's text), without empty optional fields; no destinations means all of the rule's.
 */
export function toBatchJobRequest(values: BatchJobFormValues, csv: string | null): BatchJobRequest {
  const description = values.description.trim();
  const { filter, manifest, report } = values;
  const input: BatchJobRequest = { ruleId: values.ruleId };
  if (description) {
    input.description = description;
  }
  if (values.source === 'FILTER') {
    input.filter = {
      replicationStatuses: ordered(filter.replicationStatuses),
      ...(filter.createdAfter ? { createdAfter: isoInstant(filter.createdAfter) } : {}),
      ...(filter.createdBefore ? { createdBefore: isoInstant(filter.createdBefore) } : {}),
      ...(filter.prefix ? { prefix: filter.prefix } : {}),
    };
  }
  if (values.destinations.length > 0) {
    input.destinations = values.destinations;
  }
  if (values.source === 'CSV') {
    input.manifest = { csv: csv ?? '' };
  }
  if (values.source === 'BUCKET') {
    input.manifest = {
      trustId: manifest.trustId,
      bucket: manifest.bucket.trim(),
      key: manifest.key,
      ...(manifest.versionId ? { versionId: manifest.versionId } : {}),
    };
  }
  if (report.enabled) {
    input.report = {
      trustId: report.trustId,
      bucket: report.bucket.trim(),
      ...(report.prefix ? { prefix: report.prefix } : {}),
      scope: report.scope,
    };
  }
  return input;
}

const FILTER_FIELDS = new Set<string>([
  'filter.replicationStatuses',
  'filter.createdAfter',
  'filter.createdBefore',
  'filter.prefix',
]);
const MANIFEST_FIELDS = new Set<string>([
  'manifest.trustId',
  'manifest.bucket',
  'manifest.key',
  'manifest.versionId',
]);
const REPORT_FIELDS = new Set<string>([
  'report.trustId',
  'report.bucket',
  'report.prefix',
  'report.scope',
]);

/**
 * Maps the segments of a server field path ("filter.createdBefore", "manifest.csv",
 * "destinations[1]") to the input showing it, given the form's current values; fields of a part of
 * the form not in use, and anything else, are left to the alert.
 */
export function batchJobFormField(values: BatchJobFormValues) {
  return (segments: string[]): BatchJobFormPath | undefined => {
    const path = segments.join('.');
    if (path === 'ruleId' || path === 'description') {
      return path;
    }
    if (segments[0] === 'destinations' && segments.length <= 2) {
      return 'destinations';
    }
    if (values.source === 'FILTER' && FILTER_FIELDS.has(path)) {
      return path as BatchJobFormPath;
    }
    if (values.source === 'CSV' && (path === 'manifest' || path === 'manifest.csv')) {
      return 'manifestFile';
    }
    if (values.source === 'BUCKET' && MANIFEST_FIELDS.has(path)) {
      return path as BatchJobFormPath;
    }
    if (values.report.enabled && REPORT_FIELDS.has(path)) {
      return path as BatchJobFormPath;
    }
    return undefined;
  };
}
