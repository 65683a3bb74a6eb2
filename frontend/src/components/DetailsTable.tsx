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
            {/* 200 px, narrower on a phone (down to 8rem) to leave the values room. */}
            <Table.Th style={{ width: 'clamp(8rem, 30%, 12.5rem)' }} scope="row">
              {label}
            </Table.Th>
            {/* Long values without spaces (ids, URLs, locations) wrap anywhere; words wrap between words. */}
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
