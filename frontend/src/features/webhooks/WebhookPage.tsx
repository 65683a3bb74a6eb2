import { Anchor, Button, Code, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ConfirmButton } from '../../components/ConfirmButton';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, canOperateTenant, useCurrentUser } from '../auth/session';
import { useTenantRules } from '../rules/useTenantRules';
import { useDeleteWebhook, useRotateWebhookSecret, useSendTestEvent, useWebhook } from './api';
import { webhookTitle } from './labels';
import { editWebhookPage, webhooksPage } from './paths';
import { SignatureHelp } from './SignatureHelp';
import { useWebhookId } from './useWebhookId';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookDetails } from './WebhookDetails';
import { WebhookSecret } from './WebhookSecret';

export function WebhookPage() {
  const webhookId = useWebhookId();
  // A fresh page per webhook, so that a rotated secret shown for one never shows for another.
  return <WebhookView key={webhookId} webhookId={webhookId} />;
}

function WebhookView({ webhookId }: { webhookId: string }) {
  const tenantId = useTenantId();
  const me = useCurrentUser();
  const canAdminister = canAdministerTenant(me, tenantId);
  const canOperate = canOperateTenant(me, tenantId);
  const webhook = useWebhook(tenantId, webhookId);
  const deleteWebhook = useDeleteWebhook(tenantId, webhookId);
  const rotateSecret = useRotateWebhookSecret(tenantId, webhookId);
  const sendTest = useSendTestEvent(tenantId, webhookId);
  const { nameOf } = useTenantRules(tenantId);
  const navigate = useNavigate();
  // Only in this page's state: leaving the page forgets the secret.
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const data = webhook.data;
  return (
    <Stack>
      <Anchor component={Link} to={webhooksPage(tenantId)} size="sm">
        ← All webhooks
      </Anchor>
      <PageHeader title={data ? `Webhook ${webhookTitle(data)}` : 'Webhook'}>
        Where this tenant&apos;s replication events are POSTed, and what happened to each of them.
        Every event is signed with the webhook&apos;s secret, which was shown once when the webhook
        was created; rotate it to get a new one.
      </PageHeader>
      <ProblemAlert
        error={webhook.error ?? deleteWebhook.error ?? rotateSecret.error ?? sendTest.error}
      />
      {webhook.isPending && <Loader size="sm" aria-label="Loading" />}
      {data && (
        <>
          {(canAdminister || canOperate) && (
            <Group gap="xs">
              {canAdminister && (
                <Button component={Link} to={editWebhookPage(tenantId, webhookId)} size="xs">
                  Edit
                </Button>
              )}
              {canOperate && (
                <Button
                  size="xs"
                  variant="default"
                  loading={sendTest.isPending}
                  onClick={() => sendTest.mutate()}
                >
                  Send test event
                </Button>
              )}
              {canAdminister && (
                <>
                  <ConfirmButton
                    label="Rotate secret"
                    title="Rotate signing secret"
                    message={`Replace the signing secret of "${webhookTitle(data)}"? The current secret stops working at once: events are signed with the new one from now on, including those waiting to be retried. The new secret is shown once.`}
                    loading={rotateSecret.isPending}
                    onConfirm={() =>
                      rotateSecret.mutate(undefined, {
                        onSuccess: (rotated) => setNewSecret(rotated.secret),
                      })
                    }
                  />
                  <ConfirmButton
                    label="Delete"
                    title="Delete webhook"
                    message={`Delete "${webhookTitle(data)}"? No more events are sent to it, and its delivery history is deleted with it.`}
                    loading={deleteWebhook.isPending}
                    onConfirm={() =>
                      deleteWebhook.mutate(undefined, {
                        onSuccess: () => navigate(webhooksPage(tenantId), { replace: true }),
                      })
                    }
                  />
                </>
              )}
            </Group>
          )}
          {newSecret && (
            <WebhookSecret title="New signing secret" secret={newSecret}>
              <Button size="xs" variant="default" onClick={() => setNewSecret(null)}>
                Done
              </Button>
            </WebhookSecret>
          )}
          {sendTest.isSuccess && (
            <Text size="sm" role="status">
              Test event queued as delivery <Code>{sendTest.data.deliveryId}</Code>: it is sent like
              any event and shows in the deliveries below. Its body is{' '}
              <Code>{'{"Service": "Replicator", "Event": "s3:TestEvent", …}'}</Code>.
            </Text>
          )}
          <Title order={2} size="h3">
            Details
          </Title>
          <WebhookDetails tenantId={tenantId} webhook={data} ruleName={nameOf} />
          <WebhookDeliveries tenantId={tenantId} webhookId={webhookId} />
          <SignatureHelp />
        </>
      )}
    </Stack>
  );
}
