import { Code, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Trust } from '../../api/types';
import { Timestamp } from '../../components/Timestamp';
import { TRUST_TYPE_LABELS, trustEndpoint } from './labels';

/** Every field of a trust. There is no secret to show: the API never returns it. */
export function TrustDetails({ trust }: { trust: Trust }) {
  const rows: [string, ReactNode][] = [
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
        ] satisfies [string, ReactNode][])
      : ([
          ['Role ARN', <Code key="role">{trust.roleArn ?? '—'}</Code>],
          ['External ID', <Code key="external">{trust.externalId ?? '—'}</Code>],
          ['STS endpoint', trust.stsEndpoint ?? 'AWS STS'],
        ] satisfies [string, ReactNode][])),
    ['ID', <Code key="id">{trust.id}</Code>],
    ['Created', <Timestamp key="created" value={trust.createdAt} />],
    ['Updated', <Timestamp key="updated" value={trust.updatedAt} />],
  ];
  return (
    <Table variant="vertical" layout="fixed" withTableBorder maw={800} data-testid="trust-details">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={200}>{label}</Table.Th>
            <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
