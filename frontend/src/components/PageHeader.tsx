import { Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  /** A sentence or two on what the page is for. */
  children: ReactNode;
}

export function PageHeader({ title, children }: PageHeaderProps) {
  return (
    <Stack gap={4}>
      {/* The page's one h1, which screen readers announce and list first, at an h2's size. */}
      <Title order={1} size="h2">
        {title}
      </Title>
      <Text c="dimmed" size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}
