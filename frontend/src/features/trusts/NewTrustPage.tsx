import { Alert, Stack } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useCreateTrust } from './api';
import { trustPage, trustsPage } from './paths';
import { toCreateTrust } from './trustForm';
import { TrustForm } from './TrustForm';

export function NewTrustPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const createTrust = useCreateTrust(tenantId);
  const navigate = useNavigate();
  return (
    <Stack>
      <PageHeader title="New trust">
        Give Replicator access to buckets: an access key pair, or an IAM role that Replicator
        assumes with an external ID it generates (the next page shows the trust policy to put on the
        role). The secret access key is encrypted at rest and never shown again.
      </PageHeader>
      {canAdminister ? (
        <TrustForm
          submitLabel="Create trust"
          cancelTo={trustsPage(tenantId)}
          error={createTrust.error}
          onSubmit={async (values) => {
            const trust = await createTrust.mutateAsync(toCreateTrust(values));
            await navigate(trustPage(tenantId, trust.id));
          }}
        />
      ) : (
        <Alert color="yellow">Only a tenant ADMIN may create trusts.</Alert>
      )}
    </Stack>
  );
}
