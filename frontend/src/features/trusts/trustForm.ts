import { z } from 'zod';
import {
  COMPATIBILITIES,
  TRUST_TYPES,
  type CreateTrust,
  type Trust,
  type TrustType,
  type UpdateTrust,
} from '../../api/types';

/** An IAM role ARN in any AWS partition (aws, aws-cn, aws-us-gov, ...), with the role path characters the server allows. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export const DEFAULT_REGION = 'us-east-1';

const REGION_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ACCESS_KEY_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point: the server refuses them
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Why value is not an S3 or STS base URL as the server accepts it, or null when it is. */
function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an http:// or https:// URL';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return 'Enter an http:// or https:// URL';
  }
  if (url.username || url.password) {
    return "Leave out the user name and password: credentials belong in the trust's keys";
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    return 'Enter the base URL without a path, e.g. https://s3.example.com';
  }
  return null;
}

const optionalBaseUrl = z
  .string()
  .trim()
  .max(2048, 'Use at most 2048 characters')
  .superRefine((value, context) => {
    const problem = value === '' ? null : baseUrlProblem(value);
    if (problem) {
      context.addIssue({ code: 'custom', message: problem });
    }
  });

const fields = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for the trust')
    .max(100, 'Use at most 100 characters')
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'Remove the control characters'),
  type: z.enum(TRUST_TYPES),
  endpoint: optionalBaseUrl,
  region: z
    .string()
    .trim()
    .min(1, 'Enter the region of the buckets, e.g. us-east-1')
    .regex(REGION_PATTERN, 'Use lower case letters, digits and dashes, e.g. us-east-1'),
  pathStyle: z.boolean(),
  accessKeyId: z.string().trim(),
  secretAccessKey: z.string().max(1024, 'Use at most 1024 characters'),
  roleArn: z.string().trim(),
  stsEndpoint: optionalBaseUrl,
  compatibility: z.enum(COMPATIBILITIES),
});

export type TrustFormValues = z.infer<typeof fields>;
export type TrustFormField = keyof TrustFormValues;

/** The inputs the form shows for a trust type; server errors on other fields go to the alert. */
export function visibleFields(type: TrustType): TrustFormField[] {
  const common: TrustFormField[] = [
    'name',
    'type',
    'endpoint',
    'region',
    'pathStyle',
    'compatibility',
  ];
  return type === 'STATIC'
    ? [...common, 'accessKeyId', 'secretAccessKey']
    : [...common, 'roleArn', 'stsEndpoint'];
}

/**
 * Mirrors the server's checks. Editing a STATIC trust may leave the secret empty to keep the stored
 * one, unless the access key ID changes: a new key ID needs its own secret.
 */
export function trustSchema(existing?: Trust) {
  return fields.superRefine((values, context) => {
    const missing = (path: TrustFormField, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (values.type === 'STATIC') {
      if (values.accessKeyId === '') {
        missing('accessKeyId', 'Enter the access key ID');
      } else if (!ACCESS_KEY_ID_PATTERN.test(values.accessKeyId)) {
        missing('accessKeyId', 'Use 1 to 128 printable characters without spaces');
      }
      const keyChanged = existing?.accessKeyId !== values.accessKeyId;
      if (values.secretAccessKey === '' && (!existing || keyChanged)) {
        missing(
          'secretAccessKey',
          existing ? 'Enter the secret of the new access key ID' : 'Enter the secret access key',
        );
      }
    } else if (!ROLE_ARN_PATTERN.test(values.roleArn)) {
      missing('roleArn', 'Enter a role ARN such as arn:aws:iam::123456789012:role/replicator');
    }
  });
}

export function emptyTrustForm(): TrustFormValues {
  return {
    name: '',
    type: 'STATIC',
    endpoint: '',
    region: DEFAULT_REGION,
    pathStyle: false,
    accessKeyId: '',
    secretAccessKey: '',
    roleArn: '',
    stsEndpoint: '',
    compatibility: 'AUTO',
  };
}

/** The form's values for editing trust; the secret starts empty because the server never returns it. */
export function trustFormValues(trust: Trust): TrustFormValues {
  return {
    name: trust.name,
    type: trust.type,
    endpoint: trust.endpoint ?? '',
    region: trust.region,
    pathStyle: trust.pathStyle,
    accessKeyId: trust.accessKeyId ?? '',
    secretAccessKey: '',
    roleArn: trust.roleArn ?? '',
    stsEndpoint: trust.stsEndpoint ?? '',
    compatibility: trust.compatibility,
  };
}

/**
 * The body of PUT .../trusts/{id} (which replaces the settings): only the fields of the trust's type,
 * without empty optional ones (so a cleared endpoint becomes none), and without an empty secret, which
 * keeps the stored one.
 */
export function toUpdateTrust(values: TrustFormValues): UpdateTrust {
  const body: UpdateTrust = {
    name: values.name,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    region: values.region,
    pathStyle: values.pathStyle,
    compatibility: values.compatibility,
  };
  if (values.type === 'STATIC') {
    return {
      ...body,
      accessKeyId: values.accessKeyId,
      ...(values.secretAccessKey ? { secretAccessKey: values.secretAccessKey } : {}),
    };
  }
  return {
    ...body,
    roleArn: values.roleArn,
    ...(values.stsEndpoint ? { stsEndpoint: values.stsEndpoint } : {}),
  };
}

/** The body of POST .../trusts: as for an update, with the type. */
export function toCreateTrust(values: TrustFormValues): CreateTrust {
  return { type: values.type, ...toUpdateTrust(values) };
}
