import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { EVENT_HELP } from './labels';
import { alertsWebhook, lateWebhook, stubWebhooksApi, webhooksPath } from './webhooks.fixtures';

// The whole app renders for each test: on a busy machine a screen can take more than a second.

const newWebhookPage = `/tenants/${TENANT_ID}/webhooks/new`;

const posts = (requests: ReturnType<typeof stubWebhooksApi>) =>
  requests.filter((request) => request.method === 'POST' && request.path === webhooksPath);

describe('NewWebhookPage', () => {
  it('creates a webhook for all rules, shows its secret once, then opens it', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'), {
      [`POST ${webhooksPath}`]: () => json(201, { ...alertsWebhook, secret: 'whsec_s3cr3t' }),
    });
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/webhooks`);

    await user.click(await screen.findByRole('link', { name: 'New webhook' }));

    await user.type(await screen.findByLabelText('URL'), ' https://hooks.example.com/replication ');
    await user.type(screen.getByLabelText('Description'), 'On-call alerts');
    const events = screen.getByRole('group', { name: 'Events' });
    expect(within(events).getByLabelText('OperationFailedReplication')).toBeChecked();
    expect(within(events).getByLabelText('OperationMissedThreshold')).not.toBeChecked();
    expect(within(events).getByLabelText('OperationMissedThreshold')).toHaveAccessibleDescription(
      EVENT_HELP.OperationMissedThreshold,
    );
    await user.click(within(events).getByLabelText('OperationMissedThreshold'));
    expect(screen.getByLabelText('All rules')).toBeChecked();
    expect(screen.queryByRole('textbox', { name: 'Rules' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Enabled')).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));

    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent(/^whsec_s3cr3t$/);
    expect(
      screen.getByText('Copy this signing secret now. It will not be shown again.'),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Copy signing secret' })).toBeInTheDocument();
    expect(posts(requests)).toHaveLength(1);
    expect(posts(requests)[0]!.body).toEqual({
      url: 'https://hooks.example.com/replication',
      description: 'On-call alerts',
      events: ['OperationFailedReplication', 'OperationMissedThreshold'],
      enabled: true,
    });
    expect(screen.queryByRole('button', { name: 'Create webhook' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Open webhook' }));

    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/webhooks/webhook-1`);
    expect(await screen.findByText('Webhook On-call alerts')).toBeInTheDocument();
    expect(screen.getByTestId('webhook-details')).toHaveTextContent(
      'https://hooks.example.com/replication',
    );
    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument();
    expect(screen.queryByText(/whsec_s3cr3t/)).not.toBeInTheDocument();

    // Coming back to the form does not bring the secret back either.
    await router.navigate(newWebhookPage);
    expect(await screen.findByRole('button', { name: 'Create webhook' })).toBeInTheDocument();
    expect(screen.queryByText(/whsec_s3cr3t/)).not.toBeInTheDocument();
  });

  it('creates a disabled webhook for chosen rules', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'), {
      [`POST ${webhooksPath}`]: () => json(201, { ...lateWebhook, secret: 'whsec_l4te' }),
    });
    const { user } = renderApp(newWebhookPage);

    await user.type(await screen.findByLabelText('URL'), 'http://10.0.0.5:8080/events');
    const events = screen.getByRole('group', { name: 'Events' });
    await user.click(within(events).getByLabelText('OperationReplicatedAfterThreshold'));
    await user.click(within(events).getByLabelText('OperationFailedReplication'));
    await user.click(screen.getByLabelText('Selected rules'));
    const rules = screen.getByRole('textbox', { name: 'Rules' });
    await user.click(rules);
    await user.click(await screen.findByRole('option', { name: 'photos-to-replicas' }));
    await user.click(rules);
    await user.click(await screen.findByRole('option', { name: 'logs-archive (disabled)' }));
    await user.click(screen.getByLabelText('Enabled'));
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));

    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent(/^whsec_l4te$/);
    expect(posts(requests)[0]!.body).toEqual({
      url: 'http://10.0.0.5:8080/events',
      events: ['OperationReplicatedAfterThreshold'],
      ruleIds: ['rule-1', 'rule-2'],
      enabled: false,
    });
  });

  it('checks the input before calling the server', async () => {
    const requests = stubWebhooksApi(tenantMember('ADMIN'));
    const { user } = renderApp(newWebhookPage);

    await user.click(await screen.findByRole('button', { name: 'Create webhook' }));
    expect(await screen.findByText('Enter the URL the events are posted to')).toBeInTheDocument();

    await user.type(screen.getByLabelText('URL'), 'ftp://hooks.example.com/replication');
    const events = screen.getByRole('group', { name: 'Events' });
    await user.click(within(events).getByLabelText('OperationFailedReplication'));
    await user.click(screen.getByLabelText('Selected rules'));
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));

    await waitFor(() =>
      expect(screen.getByLabelText('URL')).toHaveAccessibleDescription(
        expect.stringContaining('Enter an http:// or https:// URL'),
      ),
    );
    expect(screen.getByText('Choose at least one event')).toBeInTheDocument();
    expect(
      screen.getByText('Choose at least one rule, or send the events of all rules'),
    ).toBeInTheDocument();

    await user.clear(screen.getByLabelText('URL'));
    await user.type(screen.getByLabelText('URL'), 'https://ops:pw@hooks.example.com/replication');
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));

    expect(
      await screen.findByText(
        'Leave out the user name and password: the signature authenticates events',
      ),
    ).toBeInTheDocument();
    expect(posts(requests)).toHaveLength(0);
  });

  it('shows a refused URL on the URL field and the rest in the alert', async () => {
    const refused =
      'is refused by the endpoint guard: the host 10.0.0.5 is a private address. Tenant endpoints may only reach public addresses; an operator can allow an internal range with REPLICATOR_ALLOWED_ENDPOINT_CIDRS (e.g. 10.0.0.0/8)';
    stubWebhooksApi(tenantMember('ADMIN'), {
      [`POST ${webhooksPath}`]: () =>
        problem(400, 'The webhook is invalid.', 'Bad Request', [
          { field: 'url', message: refused },
          { field: 'create.input.description', message: 'size must be between 0 and 1000' },
          { field: 'ruleIds', message: 'is not shown for all rules' },
          { field: 'tenant', message: 'has too many webhooks' },
        ]),
    });
    const { user, router } = renderApp(newWebhookPage);

    await user.type(await screen.findByLabelText('URL'), 'http://10.0.0.5:8080/events');
    await user.type(screen.getByLabelText('Description'), 'Internal');
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));

    await waitFor(() =>
      expect(screen.getByLabelText('URL')).toHaveAccessibleDescription(
        expect.stringContaining(refused),
      ),
    );
    expect(screen.getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Description')).toHaveAccessibleDescription(
      expect.stringContaining('size must be between 0 and 1000'),
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The webhook is invalid.');
    expect(alert).toHaveTextContent('tenant: has too many webhooks');
    expect(alert).toHaveTextContent('ruleIds: is not shown for all rules');
    expect(alert).not.toHaveTextContent('endpoint guard');
    expect(alert).not.toHaveTextContent('size must be between');
    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe(newWebhookPage);
  });

  it.each(['VIEWER', 'OPERATOR'] as const)('offers a %s no form', async (role) => {
    stubWebhooksApi(tenantMember(role));
    renderApp(newWebhookPage);

    expect(await screen.findByText('Only a tenant ADMIN may create webhooks.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create webhook' })).not.toBeInTheDocument();
  });
});
