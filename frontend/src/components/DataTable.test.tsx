import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DataTable } from './DataTable';

describe('DataTable', () => {
  it('lets the keyboard reach its scroll region, also when no cell holds a link or button', () => {
    render(
      <MantineProvider env="test">
        <DataTable
          label="Pending objects"
          columns={[
            { header: 'Key', cell: (row: { key: string }) => row.key },
            { header: 'Last error', cell: () => 'The endpoint refused the connection.' },
          ]}
          rows={[{ key: 'logs/2026/a.json' }]}
          rowKey={(row) => row.key}
          emptyText="No objects."
        />
      </MantineProvider>,
    );

    const region = screen.getByRole('group', { name: 'Pending objects' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(within(region).getByRole('table')).toHaveTextContent('logs/2026/a.json');
  });
});
