import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { alertsWebhook, lateWebhook, stubWebhooksApi, webhooksPath } from './webhooks.fixtures';

// The whole app renders for each test: on a busy machine a screen can take more than a second.

const webhooksPage = `/tenants/${TENANT_ID}/webhooks`;

describe('WebhooksPage', () => {
  it('lists the webhooks with their events, rules and state', async () => {
    const requests = stubWebhooksApi(tenantMember('VIEWER'));
    renderApp(webhooksPage);

    const table = await screen.findByTestId('webhooks');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['URL', 'Events', 'Rules', 'Enabled', 'Endpoint', 'Created']);

    const alerts = (
      await within(table).findByRole('link', { name: 'https://hooks.example.com/replication' })
    ).closest('tr')!;
    expect(
      within(alerts).getByRole('link', { name: 'https://hooks.example.com/replication' }),
    ).toHaveAttribute('href', `/tenants/${TENANT_ID}/webhooks/webhook-1`);
    expect(within(alerts).getByText('On-call alerts')).toBeInTheDocument();
    expect(within(alerts).getByText('OperationFailedReplication')).toBeInTheDocument();
    expect(within(alerts).getByText('OperationMissedThreshold')).toBeInTheDocument();
    expect(within(alerts).getByText('All rules')).toBeInTheDocument();
    expect(alerts).toHaveTextContent('ENABLED');
    const endpoint = within(alerts).getByTestId('endpoint-state');
    expect(within(endpoint).getByText('Failing')).toBeInTheDocument();
    expect(endpoint).toHaveTextContent('since');
    expect(endpoint).toHaveTextContent(
      'Could not reach the endpoint: the connection to hooks.example.com:443 was refused.',
    );

    const late = within(table).getByRole('link', { name: lateWebhook.url }).closest('tr')!;
    expect(within(late).getByText('OperationReplicatedAfterThreshold')).toBeInTheDocument();
    expect(await within(late).findByText('photos-to-replicas, logs-archive')).toBeInTheDocument();
    expect(late).toHaveTextContent('DISABLED');
    expect(within(late).getByTestId('endpoint-state')).toHaveTextContent('No attempts yet');

    const navigation = screen.getByRole('navigation', { name: 'Main' });
    const links = within(navigation)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(links.indexOf('Webhooks')).toBe(links.indexOf('Batch jobs') + 1);
    expect(within(navigation).getByRole('link', { name: 'Webhooks' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    const list = requests.find((request) => request.path === webhooksPath)!;
    expect(Object.fromEntries(list.searchParams)).toEqual({ limit: '50' });
    // Only an ADMIN registers webhooks.
    expect(screen.queryByRole('link', { name: 'New webhook' })).not.toBeInTheDocument();
  });

  it('counts the rules of a webhook with many, and pages with the cursor in the URL', async () => {
    const manyRules = {
      ...alertsWebhook,
      ruleIds: ['rule-1', 'rule-2', 'rule-3', 'rule-4'],
    };
    const requests = stubWebhooksApi(tenantMember('OPERATOR'), {
      [`GET ${webhooksPath}`]: ({ searchParams }) =>
        json(
          200,
          searchParams.get('cursor') === 'next-1'
            ? { items: [lateWebhook], nextCursor: null }
            : { items: [manyRules], nextCursor: 'next-1' },
        ),
    });
    const { user, router } = renderApp(webhooksPage);

    expect(await screen.findByText('4 rules')).toHaveAttribute(
      'title',
      'photos-to-replicas, logs-archive, rule-3, rule-4',
    );

    await user.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await screen.findByRole('link', { name: lateWebhook.url })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?cursor=next-1');
    const lists = requests.filter((request) => request.path === webhooksPath);
    expect(Object.fromEntries(lists.at(-1)!.searchParams)).toEqual({
      cursor: 'next-1',
      limit: '50',
    });
    expect(screen.queryByRole('link', { name: 'New webhook' })).not.toBeInTheDocument();
  });

  it('offers an ADMIN to register a webhook', async () => {
    stubWebhooksApi(tenantMember('ADMIN'));
    const { user, router } = renderApp(webhooksPage);

    await user.click(await screen.findByRole('link', { name: 'New webhook' }));

    expect(await screen.findByRole('button', { name: 'Create webhook' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/webhooks/new`);
  });
});
