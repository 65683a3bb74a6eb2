import type { Trust, TrustType } from '../../api/types';

export const TRUST_TYPE_LABELS: Record<TrustType, string> = {
  STATIC: 'Access keys',
  ASSUME_ROLE: 'Assume role',
};

/** Where the trust's buckets are: its endpoint, or AWS S3 in its region. */
export function trustEndpoint(trust: Pick<Trust, 'endpoint' | 'region'>): string {
  return trust.endpoint ?? `AWS S3 (${trust.region})`;
}
