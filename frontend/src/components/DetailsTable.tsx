import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export type DetailRow = [label: string, value: ReactNode];

interface DetailsTableProps {
  rows: DetailRow[];
  'data-testid'?: string;
  'aria-label'?: string;
}

/** The settings of one resource, a label and a value per row. */
export function DetailsTable({ rows, ...props }: DetailsTableProps) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder maw={800} {...props}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={200} scope="row">
              {label}
            </Table.Th>
            <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
