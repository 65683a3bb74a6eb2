import { useParams } from 'react-router';

/** The :jobId of the current route; only for pages under /tenants/:tenantId/batch-jobs/:jobId. */
export function useJobId(): string {
  const { jobId } = useParams();
  if (!jobId) {
    throw new Error('useJobId() used outside a /tenants/:tenantId/batch-jobs/:jobId route');
  }
  return jobId;
}
