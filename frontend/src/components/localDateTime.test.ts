import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './localDateTime';

describe('datetime-local values', () => {
  it('are the local time, to the minute or the second', () => {
    expect(toLocalInput(new Date(2026, 2, 6, 9, 5).getTime())).toBe('2026-03-06T09:05');
    expect(toLocalInput(new Date(2026, 2, 6, 9, 5, 7).getTime())).toBe('2026-03-06T09:05:07');
    expect(fromLocalInput('2026-03-06T09:05')).toBe(new Date(2026, 2, 6, 9, 5).getTime());
    expect(fromLocalInput('2026-03-06T09:05:07')).toBe(new Date(2026, 2, 6, 9, 5, 7).getTime());
  });

  it('are null when empty or not a date', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-03-06')).toBeNull();
    expect(fromLocalInput('2026-04-31T09:00')).toBeNull();
  });
});
