import { describe, expect, it } from 'vitest';
import { customRange, metricsWindow, METRICS_RANGES, rangeErrors } from './metricsRange';

const NOW = Date.parse('2026-03-07T10:00:00Z');
const DAY = 24 * 60 * 60_000;

describe('rangeErrors', () => {
  it('accepts a window before now of at most 31 days', () => {
    expect(rangeErrors(NOW - DAY, NOW)).toBeNull();
    expect(rangeErrors(NOW - 31 * DAY, NOW - 1000, NOW)).toBeNull();
    expect(rangeErrors(NOW - 31 * DAY, NOW, NOW)).toBeNull();
    // A browser's clock a little ahead of the server's.
    expect(rangeErrors(NOW - DAY, NOW + 60_000, NOW)).toBeNull();
  });

  it('says on which field what is wrong', () => {
    expect(rangeErrors(null, null, NOW)).toEqual({
      from: 'Enter the date and time the range starts.',
      to: 'Enter the date and time the range ends.',
    });
    expect(rangeErrors(NOW, NOW, NOW)).toEqual({
      to: 'To must be after From: enter a later To or an earlier From.',
    });
    expect(rangeErrors(NOW - 31 * DAY - 1, NOW, NOW)).toEqual({
      from: 'The range is longer than 31 days: enter a From at most 31 days before To.',
    });
    expect(rangeErrors(NOW, NOW + 60_001, NOW)).toEqual({
      to: 'To is in the future: enter a time no later than now.',
    });
  });
});

describe('metricsWindow', () => {
  it('ends a preset at now and keeps a custom range where it is', () => {
    expect(metricsWindow(METRICS_RANGES[1], NOW)).toEqual({
      from: '2026-03-07T04:00:00.000Z',
      to: '2026-03-07T10:00:00.000Z',
    });
    const custom = customRange(NOW - 2 * DAY, NOW - DAY);
    expect(metricsWindow(custom, NOW + DAY)).toEqual({
      from: '2026-03-05T10:00:00.000Z',
      to: '2026-03-06T10:00:00.000Z',
    });
  });
});
