import { Code } from '@mantine/core';
import type { Trust } from '../../api/types';
import { type DetailRow, DetailsTable } from '../../components/DetailsTable';
import { Timestamp } from '../../components/Timestamp';
import { TRUST_TYPE_LABELS, trustEndpoint } from './labels';

/** Every field of a trust. There is no secret to show: the API never returns it. */
export function TrustDetails({ trust }: { trust: Trust }) {
  const rows: DetailRow[] = [
    ['Name', trust.name],
    ['Type', `${trust.type} (${TRUST_TYPE_LABELS[trust.type]})`],
    ['Endpoint', trustEndpoint(trust)],
    ['Region', trust.region],
    ['Path-style addressing', trust.pathStyle ? 'Yes' : 'No'],
    ['Compatibility', trust.compatibility],
    ...(trust.type === 'STATIC'
      ? ([
          ['Access key ID', <Code key="key">{trust.accessKeyId ?? '—'}</Code>],
          ['Secret access key', 'Encrypted at rest, never shown'],
        ] satisfies DetailRow[])
      : ([
          ['Role ARN', <Code key="role">{trust.roleArn ?? '—'}</Code>],
          ['External ID', <Code key="external">{trust.externalId ?? '—'}</Code>],
          ['STS endpoint', trust.stsEndpoint ?? 'AWS STS'],
        ] satisfies DetailRow[])),
    ['ID', <Code key="id">{trust.id}</Code>],
    ['Created', <Timestamp key="created" value={trust.createdAt} />],
    ['Updated', <Timestamp key="updated" value={trust.updatedAt} />],
  ];
  return <DetailsTable rows={rows} data-testid="trust-details" />;
}
