import { Anchor, Button, Group, Loader, Stack } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { ConfirmButton } from '../../components/ConfirmButton';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, canOperateTenant, useCurrentUser } from '../auth/session';
import { useDeleteTrust, useTrust } from './api';
import { AssumeRoleSetup } from './AssumeRoleSetup';
import { trustPage, trustsPage } from './paths';
import { TrustDetails } from './TrustDetails';
import { useTrustId } from './useTrustId';
import { VerificationHistory } from './VerificationHistory';
import { VerifyPanel } from './VerifyPanel';

export function TrustPage() {
  const tenantId = useTenantId();
  const trustId = useTrustId();
  const me = useCurrentUser();
  const trust = useTrust(tenantId, trustId);
  const deleteTrust = useDeleteTrust(tenantId, trustId);
  const navigate = useNavigate();
  const canAdminister = canAdministerTenant(me, tenantId);
  return (
    <Stack>
      <Anchor component={Link} to={trustsPage(tenantId)} size="sm">
        ← All trusts
      </Anchor>
      <PageHeader title={trust.data ? `Trust ${trust.data.name}` : 'Trust'}>
        How Replicator reaches this tenant&apos;s buckets. Secret keys are encrypted at rest and
        never shown again; an assumed role needs the trust policy below. Verify a bucket to check
        that replication can use it; each bucket&apos;s newest verification is kept below.
      </PageHeader>
      <ProblemAlert error={trust.error ?? deleteTrust.error} />
      {trust.isPending && <Loader size="sm" aria-label="Loading" />}
      {trust.data && (
        <>
          {canAdminister && (
            <Group gap="xs">
              <Button component={Link} to={`${trustPage(tenantId, trustId)}/edit`} size="xs">
                Edit
              </Button>
              <ConfirmButton
                label="Delete"
                title="Delete trust"
                message={`Delete "${trust.data.name}"? Replicator can no longer reach buckets through it. A trust that rules still use cannot be deleted.`}
                loading={deleteTrust.isPending}
                onConfirm={() =>
                  deleteTrust.mutate(undefined, {
                    onSuccess: () => navigate(trustsPage(tenantId), { replace: true }),
                  })
                }
              />
            </Group>
          )}
          <TrustDetails trust={trust.data} />
          {trust.data.type === 'ASSUME_ROLE' && <AssumeRoleSetup trust={trust.data} />}
          {canOperateTenant(me, tenantId) && <VerifyPanel tenantId={tenantId} trustId={trustId} />}
          <VerificationHistory tenantId={tenantId} trust={trust.data} />
        </>
      )}
    </Stack>
  );
}
