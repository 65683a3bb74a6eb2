import { Alert, Loader, Stack } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useTenantRules } from '../rules/useTenantRules';
import { useUpdateWebhook, useWebhook } from './api';
import { webhookTitle } from './labels';
import { webhookPage } from './paths';
import { useWebhookId } from './useWebhookId';
import { WebhookForm } from './WebhookForm';

export function EditWebhookPage() {
  const tenantId = useTenantId();
  const webhookId = useWebhookId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const webhook = useWebhook(tenantId, webhookId);
  const updateWebhook = useUpdateWebhook(tenantId, webhookId);
  const { rules } = useTenantRules(tenantId);
  const navigate = useNavigate();
  return (
    <Stack>
      <PageHeader
        title={webhook.data ? `Edit webhook ${webhookTitle(webhook.data)}` : 'Edit webhook'}
      >
        Saving replaces the webhook&apos;s settings; its signing secret stays (rotate it on the
        webhook&apos;s page). Deliveries already queued go to the new URL.
      </PageHeader>
      <ProblemAlert error={webhook.error} />
      {webhook.isPending && <Loader size="sm" aria-label="Loading" />}
      {webhook.data &&
        (canAdminister ? (
          <WebhookForm
            webhook={webhook.data}
            rules={rules}
            submitLabel="Save webhook"
            cancelTo={webhookPage(tenantId, webhookId)}
            error={updateWebhook.error}
            onSubmit={async (body) => {
              await updateWebhook.mutateAsync(body);
              await navigate(webhookPage(tenantId, webhookId));
            }}
          />
        ) : (
          <Alert color="yellow">Only a tenant ADMIN may edit webhooks.</Alert>
        ))}
    </Stack>
  );
}
