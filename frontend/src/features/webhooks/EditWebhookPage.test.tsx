import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { alertsWebhook, lateWebhook, stubWebhooksApi, webhooksPath } from './webhooks.fixtures';

// The whole app renders for each test: on a busy machine a screen can take more than a second.

const editLate = `/tenants/${TENANT_ID}/webhooks/${lateWebhook.id}/edit`;

const puts = (requests: ReturnType<typeof stubWebhooksApi>) =>
  requests.filter((request) => request.method === 'PUT');

describe('EditWebhookPage', () => {
  it('opens from the webhook’s page with its values', async () => {
    stubWebhooksApi(tenantMember('ADMIN'));
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/webhooks/${lateWebhook.id}`);

    await user.click(await screen.findByRole('link', { name: 'Edit' }));

    expect(router.state.location.pathname).toBe(editLate);
    expect(await screen.findByLabelText('URL')).toHaveValue('http://10.0.0.5:8080/events');
    expect(screen.getByLabelText('Description')).toHaveValue('');
    const events = screen.getByRole('group', { name: 'Events' });
    expect(within(events).getByLabelText('OperationReplicatedAfterThreshold')).toBeChecked();
    expect(within(events).getByLabelText('OperationFailedReplication')).not.toBeChecked();
    expect(screen.getByLabelText('Selected rules')).toBeChecked();
    // The chosen rules show as pills (Mantine's static class), by name once the rules are loaded.
    const pills = () =>
      Array.from(document.querySelectorAll('.mantine-Pill-label'), (pill) => pill.textContent);
    await waitFor(() => expect(pills()).toEqual(['photos-to-replicas', 'logs-archive (disabled)']));
    expect(screen.getByLabelText('Enabled')).not.toBeChecked();
  });

  it('replaces the settings, sending all rules as no ruleIds', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'), {
      [`PUT ${webhooksPath}/${lateWebhook.id}`]: (request) =>
        json(200, {
          ...lateWebhook,
          ...(request.body as object),
          ruleIds: null,
          updatedAt: '2026-03-07T10:00:00Z',
        }),
    });
    const { user, router } = renderApp(editLate);

    await user.type(await screen.findByLabelText('Description'), 'Late replicas');
    await user.click(screen.getByLabelText('All rules'));
    await user.click(screen.getByLabelText('Enabled'));
    await user.click(screen.getByRole('button', { name: 'Save webhook' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/webhooks/webhook-2`),
    );
    expect(puts(requests)).toHaveLength(1);
    expect(puts(requests)[0]!.body).toEqual({
      url: 'http://10.0.0.5:8080/events',
      description: 'Late replicas',
      events: ['OperationReplicatedAfterThreshold'],
      enabled: true,
    });
    expect(await screen.findByText('Webhook Late replicas')).toBeInTheDocument();
    expect(screen.getByTestId('webhook-details')).toHaveTextContent('All rules');
  });

  it('keeps chosen rules, and shows a server error about them on the rules', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'), {
      [`PUT ${webhooksPath}/${lateWebhook.id}`]: () =>
        problem(400, 'The webhook is invalid.', 'Bad Request', [
          { field: 'ruleIds', message: 'rule-2 names no rule of this tenant' },
        ]),
    });
    const { user } = renderApp(editLate);

    await screen.findByLabelText('URL');
    await user.click(screen.getByRole('button', { name: 'Save webhook' }));

    expect(await screen.findByText('rule-2 names no rule of this tenant')).toBeInTheDocument();
    expect(puts(requests)[0]!.body).toEqual({
      url: 'http://10.0.0.5:8080/events',
      events: ['OperationReplicatedAfterThreshold'],
      ruleIds: ['rule-1', 'rule-2'],
      enabled: false,
    });
    expect(screen.getByRole('alert')).not.toHaveTextContent('names no rule');
  });

  it('offers an OPERATOR no form', async () => {
    stubWebhooksApi(tenantMember('OPERATOR'));
    renderApp(`/tenants/${TENANT_ID}/webhooks/${alertsWebhook.id}/edit`);

    expect(await screen.findByText('Only a tenant ADMIN may edit webhooks.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save webhook' })).not.toBeInTheDocument();
  });
});
