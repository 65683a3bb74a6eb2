import type { Me, Trust, VerificationReport } from '../../api/types';
import { json, stubFetch } from '../../test/fetchStub';
import { TENANT_ID } from '../../test/renderApp';

export const trustsPath = `/api/v1/tenants/${TENANT_ID}/trusts`;

export const staticTrust: Trust = {
  id: 'trust-1',
  name: 'wasabi-backup',
  type: 'STATIC',
  endpoint: 'https://s3.eu-central-1.wasabisys.com',
  region: 'eu-central-1',
  pathStyle: true,
  compatibility: 'AUTO',
  accessKeyId: 'AKIAWASABI0001',
  roleArn: null,
  externalId: null,
  stsEndpoint: null,
  trustPolicy: null,
  trustPolicyNote: null,
  lastVerification: {
    bucket: 'backups',
    verifiedAt: '2026-03-01T10:05:00Z',
    ok: true,
    beforeLastChange: false,
  },
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:00Z',
};

export const roleTrust: Trust = {
  id: 'trust-2',
  name: 'prod-account',
  type: 'ASSUME_ROLE',
  endpoint: null,
  region: 'us-east-1',
  pathStyle: false,
  compatibility: 'AWS',
  accessKeyId: null,
  roleArn: 'arn:aws:iam::123456789012:role/replicator',
  externalId: 'rpl-ext-7f3a9c',
  stsEndpoint: null,
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowReplicatorWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999999999999:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'rpl-ext-7f3a9c' } },
      },
    ],
  },
  trustPolicyNote: null,
  lastVerification: null,
  createdAt: '2026-03-02T10:00:00Z',
  updatedAt: '2026-03-02T11:00:00Z',
};

/** What GET .../verifications answers for the access-key trust: its one verified bucket. */
export const staticTrustVerifications: VerificationReport[] = [
  {
    bucket: 'backups',
    verifiedAt: '2026-03-01T10:05:00Z',
    ok: true,
    accountId: null,
    checks: [
      { name: 'credentials', ok: true, state: 'PASSED', detail: 'The access key is valid' },
      { name: 'versioning', ok: true, state: 'PASSED', detail: 'Versioning is enabled' },
    ],
  },
];

/**
 * Stubs the signed-in principal, the tenant, the trust list and both trusts' details and kept
 * verifications (none for the role trust).
 */
export function stubTrustsApi(me: Me, extra: Parameters<typeof stubFetch>[0] = {}) {
  return stubFetch({
    'GET /api/v1/auth/me': () => json(200, me),
    [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
      json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
    [`GET ${trustsPath}`]: () => json(200, { items: [staticTrust, roleTrust], nextCursor: null }),
    [`GET ${trustsPath}/${staticTrust.id}`]: () => json(200, staticTrust),
    [`GET ${trustsPath}/${roleTrust.id}`]: () => json(200, roleTrust),
    [`GET ${trustsPath}/${staticTrust.id}/verifications`]: () =>
      json(200, { items: staticTrustVerifications }),
    [`GET ${trustsPath}/${roleTrust.id}/verifications`]: () => json(200, { items: [] }),
    ...extra,
  });
}
