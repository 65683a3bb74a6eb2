import { Alert, Loader, Stack } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useTrust, useUpdateTrust } from './api';
import { trustPage } from './paths';
import { toUpdateTrust } from './trustForm';
import { TrustForm } from './TrustForm';
import { useTrustId } from './useTrustId';

export function EditTrustPage() {
  const tenantId = useTenantId();
  const trustId = useTrustId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const trust = useTrust(tenantId, trustId);
  const updateTrust = useUpdateTrust(tenantId, trustId);
  const navigate = useNavigate();
  return (
    <Stack>
      <PageHeader title={trust.data ? `Edit trust ${trust.data.name}` : 'Edit trust'}>
        The stored secret access key is never shown: leave the field empty to keep it, or enter a
        new one (needed when the access key ID changes). The type of a trust cannot be changed.
      </PageHeader>
      <ProblemAlert error={trust.error} />
      {trust.isPending && <Loader size="sm" aria-label="Loading" />}
      {trust.data &&
        (canAdminister ? (
          <TrustForm
            trust={trust.data}
            submitLabel="Save trust"
            cancelTo={trustPage(tenantId, trustId)}
            error={updateTrust.error}
            onSubmit={async (values) => {
              await updateTrust.mutateAsync(toUpdateTrust(values));
              await navigate(trustPage(tenantId, trustId));
            }}
          />
        ) : (
          <Alert color="yellow">Only a tenant ADMIN may edit trusts.</Alert>
        ))}
    </Stack>
  );
}
