import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, noContent, problem } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { logsRule, photosExport, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const photosPage = `/tenants/${TENANT_ID}/rules/${photosRule.id}`;
const logsPage = `/tenants/${TENANT_ID}/rules/${logsRule.id}`;

function detail(table: HTMLElement, label: string) {
  return within(table).getByRole('rowheader', { name: label }).closest('tr')!;
}

describe('RulePage', () => {
  it('shows every setting, and each destination', async () => {
    stubRulesApi(tenantMember('VIEWER'));
    renderApp(photosPage);

    expect(await screen.findByText('Rule photos-to-replicas')).toBeInTheDocument();
    expect(screen.getByTestId('rule-state')).toHaveTextContent('ENABLED');
    const details = screen.getByTestId('rule-details');
    expect(detail(details, 'Priority')).toHaveTextContent('10');
    expect(await within(details).findByText('prod-account / photos')).toBeInTheDocument();
    expect(detail(details, 'Prefix')).toHaveTextContent('raw/');
    expect(detail(details, 'Tags')).toHaveTextContent('env=prod, team=media');
    expect(detail(details, 'Delete marker replication')).toHaveTextContent('Disabled');
    expect(detail(details, 'Replica modification sync')).toHaveTextContent('Enabled');
    expect(detail(details, 'Replication time control')).toHaveTextContent(
      'Enabled, threshold 15 minutes',
    );
    expect(detail(details, 'Scan interval')).toHaveTextContent('Every 300 seconds (5 min)');

    const [first, second] = screen.getAllByTestId('destination-details');
    expect(screen.getByRole('table', { name: 'Destination 1' })).toBe(first);
    expect(detail(first!, 'Bucket')).toHaveTextContent('wasabi-backup / photos-replica');
    expect(detail(first!, 'Storage class')).toHaveTextContent('STANDARD_IA');
    expect(detail(first!, 'Owner override')).toHaveTextContent(/^Owner overrideYes/);
    expect(detail(first!, 'KMS key ID')).toHaveTextContent(
      'arn:aws:kms:eu-central-1:123456789012:key/abcd-1234',
    );
    expect(detail(second!, 'Bucket')).toHaveTextContent('prod-account / photos-dr');
    expect(detail(second!, 'Storage class')).toHaveTextContent('Same as source');
    expect(detail(second!, 'Owner override')).toHaveTextContent(/^Owner overrideNo$/);
  });

  it('shows the status and the replication figures first, the configuration after them', async () => {
    stubRulesApi(tenantMember('VIEWER'));
    renderApp(photosPage);

    const details = await screen.findByTestId('rule-details');
    const headings = screen.getAllByRole('heading').map((heading) => heading.textContent);
    expect(headings.indexOf('Replication status')).toBeGreaterThan(-1);
    expect(headings.indexOf('Replication status')).toBeLessThan(headings.indexOf('Configuration'));
    expect(headings.indexOf('Failed objects')).toBeLessThan(headings.indexOf('Configuration'));
    const follows = (first: Element, second: Element) =>
      (first.compareDocumentPosition(second) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    expect(follows(screen.getByTestId('rule-state'), screen.getByTestId('rule-metrics'))).toBe(
      true,
    );
    expect(follows(screen.getByTestId('objects'), details)).toBe(true);
    expect(within(details).queryByRole('rowheader', { name: 'Status' })).toBeNull();
  });

  it('offers a VIEWER no way to change the rule', async () => {
    stubRulesApi(tenantMember('VIEWER'));
    renderApp(photosPage);

    expect(await screen.findByTestId('rule-details')).toBeInTheDocument();
    for (const name of ['Edit', 'Delete', 'Disable', 'Enable']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
      expect(screen.queryByRole('link', { name })).not.toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Show AWS JSON' })).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Replicate existing objects' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Batch jobs of this rule' })).toHaveAttribute(
      'href',
      `/tenants/${TENANT_ID}/batch-jobs?ruleId=rule-1`,
    );
  });

  it('disables the rule by sending it whole with the status flipped', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`PUT ${rulesPath}/${photosRule.id}`]: () => json(200, { ...photosRule, status: 'DISABLED' }),
    });
    const { user } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Disable' }));

    expect(await screen.findByRole('button', { name: 'Enable' })).toBeInTheDocument();
    expect(screen.getByTestId('rule-state')).toHaveTextContent('DISABLED');
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({
      name: 'photos-to-replicas',
      status: 'DISABLED',
      priority: 10,
      source: { trustId: 'trust-2', bucket: 'photos' },
      filter: { prefix: 'raw/', tags: { env: 'prod', team: 'media' } },
      destinations: [
        {
          trustId: 'trust-1',
          bucket: 'photos-replica',
          storageClass: 'STANDARD_IA',
          ownerOverride: true,
          kmsKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/abcd-1234',
        },
        { trustId: 'trust-2', bucket: 'photos-dr', ownerOverride: false },
      ],
      deleteMarkerReplication: false,
      replicaModifications: true,
      replicationTime: { enabled: true, thresholdMinutes: 15 },
      scanIntervalSeconds: 300,
    });
  });

  it('shows why a rule cannot be enabled', async () => {
    const refusal =
      'Versioning is not enabled on source bucket logs. Enable versioning on the bucket, then enable the rule again.';
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`PUT ${rulesPath}/${logsRule.id}`]: () => problem(400, refusal, 'Bad Request'),
    });
    const { user } = renderApp(logsPage);

    await user.click(await screen.findByRole('button', { name: 'Enable' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(refusal);
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({
      name: 'logs-archive',
      status: 'ENABLED',
      priority: 0,
      source: { trustId: 'trust-1', bucket: 'logs' },
      filter: {},
      destinations: [
        {
          trustId: 'trust-gone',
          bucket: 'logs-archive',
          storageClass: 'DEEP_ARCHIVE',
          ownerOverride: false,
        },
      ],
      deleteMarkerReplication: true,
      replicaModifications: false,
      replicationTime: { enabled: false, thresholdMinutes: 15 },
      scanIntervalSeconds: 0,
    });
    expect(screen.getByTestId('rule-state')).toHaveTextContent('DISABLED');
    expect(detail(screen.getByTestId('rule-details'), 'Scan interval')).toHaveTextContent(
      'Off: change events only',
    );
  });

  it('shows the AWS JSON of the source bucket, ready to copy', async () => {
    const requests = stubRulesApi(tenantMember('VIEWER'), {
      [`GET ${rulesPath}/export`]: () => json(200, photosExport),
    });
    const { user } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Show AWS JSON' }));

    const code = await screen.findByTestId('aws-json');
    expect(JSON.parse(code.textContent!)).toEqual(photosExport);
    const exportRequest = requests.find((request) => request.path === `${rulesPath}/export`)!;
    expect(Object.fromEntries(exportRequest.searchParams)).toEqual({
      trustId: 'trust-2',
      bucket: 'photos',
    });
    await user.click(screen.getByRole('button', { name: 'Copy AWS JSON' }));
    expect(JSON.parse(await navigator.clipboard.readText())).toEqual(photosExport);
  });

  it('deletes the rule after confirmation and returns to the list', async () => {
    const requests = stubRulesApi(tenantMember('ADMIN'), {
      [`DELETE ${rulesPath}/${photosRule.id}`]: () => noContent(),
    });
    const { user, router } = renderApp(photosPage);

    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('photos-to-replicas');
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/tenants/${TENANT_ID}/rules`));
    expect(requests.some((request) => request.method === 'DELETE')).toBe(true);
  });
});
