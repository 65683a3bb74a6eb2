import { act, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeAge, UpdatedAgo } from './UpdatedAgo';

describe('UpdatedAgo', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-07T09:10:00Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const renderAgo = (updatedAt: number) =>
    render(
      <MantineProvider env="test">
        <UpdatedAgo updatedAt={updatedAt} what="Batch jobs" />
      </MantineProvider>,
    );

  it('ticks on its own, with the age in words as its accessible name', () => {
    renderAgo(Date.now());

    const indicator = screen.getByRole('status', { name: 'Batch jobs updated just now' });
    expect(indicator).toHaveTextContent('Updated just now');
    expect(indicator).toHaveAttribute('aria-live', 'off');

    act(() => vi.advanceTimersByTime(12_000));
    expect(indicator).toHaveTextContent('Updated 12 s ago');
    expect(indicator).toHaveAccessibleName('Batch jobs updated 12 seconds ago');

    act(() => vi.advanceTimersByTime(60_000));
    expect(indicator).toHaveTextContent('Updated 1 min ago');
    expect(indicator).toHaveAccessibleName('Batch jobs updated 1 minute ago');
  });

  it('shows nothing before the first answer', () => {
    renderAgo(0);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('states an age in one unit', () => {
    expect(describeAge(-300)).toEqual({ short: 'just now', long: 'just now' });
    expect(describeAge(4_999)).toEqual({ short: 'just now', long: 'just now' });
    expect(describeAge(5_000)).toEqual({ short: '5 s ago', long: '5 seconds ago' });
    expect(describeAge(119_000)).toEqual({ short: '1 min ago', long: '1 minute ago' });
    expect(describeAge(2 * 3600_000 + 5)).toEqual({ short: '2 h ago', long: '2 hours ago' });
    expect(describeAge(3 * 86_400_000)).toEqual({ short: '3 d ago', long: '3 days ago' });
  });
});
