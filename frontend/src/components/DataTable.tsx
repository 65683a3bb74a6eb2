import { Loader, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

interface DataTableProps<T> {
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading?: boolean;
  emptyText: string;
  /** Names the table's scroll region for screen readers. */
  label?: string;
}

/**
 * The table scrolls sideways when it is wider than the page (on a phone, or with long errors): its
 * scroll region takes the keyboard focus, so that it can be scrolled without a mouse also when no
 * cell holds a link or button.
 */
const focusableViewport = (label: string) => ({
  viewportProps: { tabIndex: 0, role: 'group', 'aria-label': label },
});

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  loading,
  emptyText,
  label = 'Table',
}: DataTableProps<T>) {
  return (
    <Table.ScrollContainer minWidth={600} scrollAreaProps={focusableViewport(label)}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.header}>{column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows?.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((column) => (
                <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
          {/* No rows and not loading: empty only once loaded (without rows after an error, the
              error's alert says what happened and "empty" would be wrong). */}
          {(loading ? !rows || rows.length === 0 : rows?.length === 0) && (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                {loading ? (
                  <Loader size="sm" aria-label="Loading" />
                ) : (
                  <Text c="dimmed" size="sm">
                    {emptyText}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
