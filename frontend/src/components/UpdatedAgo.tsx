import { Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatInstant } from './Timestamp';

/** How often the shown age is brought up to date. */
const TICK_MS = 1000;

interface UpdatedAgoProps {
  /** When the figures were last fetched: a query's `dataUpdatedAt` (ms since the epoch, 0 before the first answer). */
  updatedAt: number;
  /** What the figures are, for the accessible name: "Replication status" reads "Replication status updated …". */
  what: string;
}

/**
 * "Updated 12 s ago", ticking: how fresh polled figures are. A failed refetch leaves the age growing, next to the
 * error the page shows. Its status role is not a live region (`aria-live="off"`): a screen reader finds it by its
 * name and is not interrupted every second.
 */
export function UpdatedAgo({ updatedAt, what }: UpdatedAgoProps) {
  const now = useNow(TICK_MS);
  if (updatedAt === 0) {
    return null;
  }
  const age = describeAge(now - updatedAt);
  return (
    <Text
      size="xs"
      c="gray.7"
      role="status"
      aria-live="off"
      aria-label={`${what} updated ${age.long}`}
      title={formatInstant(new Date(updatedAt))}
      data-testid="updated-ago"
    >
      Updated {age.short}
    </Text>
  );
}

/** The current time, renewed every intervalMs. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** An age in one unit, short ("3 min ago") and in words ("3 minutes ago"). */
export function describeAge(ms: number): { short: string; long: string } {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 5) {
    return { short: 'just now', long: 'just now' };
  }
  const [count, short, unit] =
    seconds < 60
      ? [seconds, 's', 'second']
      : seconds < 3600
        ? [Math.floor(seconds / 60), 'min', 'minute']
        : seconds < 86_400
          ? [Math.floor(seconds / 3600), 'h', 'hour']
          : [Math.floor(seconds / 86_400), 'd', 'day'];
  return {
    short: `${count} ${short} ago`,
    long: `${count} ${unit}${count === 1 ? '' : 's'} ago`,
  };
}
