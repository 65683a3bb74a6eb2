import { Alert, Anchor, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Trust } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { trustsPage } from '../trusts/paths';
import { useTenantTrusts } from './useTenantTrusts';

interface TrustsGateProps {
  tenantId: string;
  /** Rendered once the trusts are loaded, and only if there is at least one. */
  children: (trusts: Trust[]) => ReactNode;
}

/** Waits for the tenant's trusts, which a rule's buckets are reached through, so the trust selects start complete. */
export function TrustsGate({ tenantId, children }: TrustsGateProps) {
  const { trusts, error } = useTenantTrusts(tenantId);
  if (error) {
    return <ProblemAlert error={error} />;
  }
  if (!trusts) {
    return <Loader size="sm" aria-label="Loading" />;
  }
  if (trusts.length === 0) {
    return (
      <Alert color="yellow" title="No trusts yet">
        A rule reaches its buckets through trusts.{' '}
        <Anchor component={Link} to={`${trustsPage(tenantId)}/new`}>
          Create a trust
        </Anchor>{' '}
        first.
      </Alert>
    );
  }
  return children(trusts);
}
