import { Alert, Button, Stack } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { WebhookWithSecret } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useTenantRules } from '../rules/useTenantRules';
import { useCreateWebhook } from './api';
import { webhookPage, webhooksPage } from './paths';
import { WebhookForm } from './WebhookForm';
import { WebhookSecret } from './WebhookSecret';

export function NewWebhookPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const createWebhook = useCreateWebhook(tenantId);
  const { rules } = useTenantRules(tenantId);
  // Only in this page's state: leaving the page forgets the secret.
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  return (
    <Stack>
      <PageHeader title="New webhook">
        Choose where replication events are POSTed and which ones. The webhook gets a signing
        secret, shown once after it is created: your endpoint uses it to check that events come from
        Replicator.
      </PageHeader>
      {!canAdminister && <Alert color="yellow">Only a tenant ADMIN may create webhooks.</Alert>}
      {canAdminister && created && (
        <WebhookSecret title={`Webhook created for ${created.url}`} secret={created.secret}>
          <Button size="xs" component={Link} to={webhookPage(tenantId, created.id)}>
            Open webhook
          </Button>
        </WebhookSecret>
      )}
      {canAdminister && !created && (
        <WebhookForm
          rules={rules}
          submitLabel="Create webhook"
          cancelTo={webhooksPage(tenantId)}
          error={createWebhook.error}
          onSubmit={async (body) => setCreated(await createWebhook.mutateAsync(body))}
        />
      )}
    </Stack>
  );
}
