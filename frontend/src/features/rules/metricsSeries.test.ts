import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../api/types';
import { stepMinutesOf } from './metricsRange';
import { axisTicks, chartPoints } from './metricsSeries';

function point(at: string, replicated: number, failed: number, p99: number): MetricPoint {
  return {
    at,
    operationsReplicated: replicated,
    bytesReplicated: replicated * 1024,
    operationsFailed: failed,
    latencyP99Seconds: p99,
  };
}

describe('chartPoints', () => {
  it('has a point for every minute of the window, quiet minutes with zero operations', () => {
    const points = chartPoints(
      [point('2026-03-07T10:01:00Z', 5, 1, 1.5), point('2026-03-07T10:03:00Z', 2, 0, 3)],
      '2026-03-07T10:00:30Z',
      '2026-03-07T10:05:10Z',
      1,
    );

    expect(points.map((p) => new Date(p.at).toISOString())).toEqual([
      '2026-03-07T10:00:00.000Z',
      '2026-03-07T10:01:00.000Z',
      '2026-03-07T10:02:00.000Z',
      '2026-03-07T10:03:00.000Z',
      '2026-03-07T10:04:00.000Z',
      '2026-03-07T10:05:00.000Z',
    ]);
    expect(points.map((p) => p.replicated)).toEqual([0, 5, 0, 2, 0, 0]);
    expect(points.map((p) => p.failed)).toEqual([0, 1, 0, 0, 0, 0]);
    // No latency where nothing was replicated: the line has a gap there, not a drop to zero.
    expect(points.map((p) => p.p99)).toEqual([null, 1.5, null, 3, null, null]);
  });

  it('gives a minute with failures only no latency', () => {
    const [only] = chartPoints(
      [point('2026-03-07T10:00:00Z', 0, 4, 0)],
      '2026-03-07T10:00:00Z',
      '2026-03-07T10:00:00Z',
      1,
    );
    expect(only).toMatchObject({ replicated: 0, failed: 4, p99: null });
  });

  it('adds up operations over longer steps, keeping the highest p99', () => {
    const points = chartPoints(
      [
        point('2026-03-07T10:01:00Z', 5, 1, 1.5),
        point('2026-03-07T10:04:00Z', 2, 2, 40),
        point('2026-03-07T10:09:00Z', 1, 0, 2),
        point('2026-03-07T10:12:00Z', 0, 3, 0),
      ],
      '2026-03-07T10:00:00Z',
      '2026-03-07T10:30:00Z',
      10,
    );

    expect(points.map((p) => new Date(p.at).toISOString().slice(11, 16))).toEqual([
      '10:00',
      '10:10',
      '10:20',
      '10:30',
    ]);
    expect(points.map((p) => [p.replicated, p.failed, p.p99])).toEqual([
      [8, 3, 40],
      [0, 3, null],
      [0, 0, null],
      [0, 0, null],
    ]);
  });
});

describe('stepMinutesOf', () => {
  it('charts up to a day by the minute, up to a week in 10-minute steps, and longer by the hour', () => {
    expect(stepMinutesOf('2026-03-07T09:57:00Z', '2026-03-07T10:00:00Z')).toBe(1);
    expect(stepMinutesOf('2026-03-07T09:00:00Z', '2026-03-07T10:00:00Z')).toBe(1);
    expect(stepMinutesOf('2026-03-06T10:00:00Z', '2026-03-07T10:00:00.250Z')).toBe(1);
    expect(stepMinutesOf('2026-03-06T10:00:00Z', '2026-03-07T11:00:00Z')).toBe(10);
    expect(stepMinutesOf('2026-02-28T10:00:00Z', '2026-03-07T10:00:00Z')).toBe(10);
    expect(stepMinutesOf('2026-02-27T10:00:00Z', '2026-03-07T10:00:00Z')).toBe(60);
    expect(stepMinutesOf('2026-01-31T00:00:00Z', '2026-03-03T00:00:00Z')).toBe(60);
  });
});

describe('axisTicks', () => {
  const localMinutes = (at: number) => at / 60_000 - new Date(at).getTimezoneOffset();

  it('ticks every minute of a window of a few minutes', () => {
    const points = chartPoints([], '2026-03-07T10:00:30Z', '2026-03-07T10:03:10Z', 1);

    const { ticks, tickFormatter } = axisTicks(points, 1);

    expect(points).toHaveLength(4);
    expect(ticks).toEqual(points.map((p) => p.time));
    expect(tickFormatter(ticks[0]!)).toBe(points[0]!.time);
  });

  it('ticks an hour at round 10 minutes', () => {
    const points = chartPoints([], '2026-03-07T09:00:00Z', '2026-03-07T10:00:00Z', 1);
    const { ticks } = axisTicks(points, 1);

    expect(ticks).toHaveLength(7);
    const ticked = points.filter((p) => ticks.includes(p.time));
    expect(ticked.every((p) => localMinutes(p.at) % 10 === 0)).toBe(true);
  });

  it('ticks 31 days of hours a few times, at the midnights of the time zone, named by date', () => {
    const from = new Date(2026, 0, 1, 0, 0).toISOString();
    const to = new Date(2026, 1, 1, 0, 0).toISOString();
    const points = chartPoints([], from, to, 60);
    const { ticks, tickFormatter } = axisTicks(points, 60);

    expect(points.length).toBeGreaterThanOrEqual(31 * 24);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(9);
    expect(new Set(ticks).size).toBe(ticks.length);
    // Each ticked step holds a local midnight (a zone off UTC's hours has its steps start off its own).
    for (const p of points.filter((point) => ticks.includes(point.time))) {
      const intoDay = ((localMinutes(p.at) % 1440) + 1440) % 1440;
      expect(intoDay === 0 || intoDay > 1440 - 60).toBe(true);
      const midnight = p.at + (intoDay === 0 ? 0 : (1440 - intoDay) * 60_000);
      expect(tickFormatter(p.time)).toBe(
        new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(midnight),
      );
    }
  });

  it('has no ticks without points', () => {
    expect(axisTicks([], 1).ticks).toEqual([]);
  });
});

describe('chartPoints pending figures', () => {
  it('are the highest sample of each step, and zero where none was taken', () => {
    const points = chartPoints([], '2026-03-07T09:00:00Z', '2026-03-07T09:30:00Z', 10, [
      { at: '2026-03-07T09:10:00Z', operationsPending: 3, bytesPending: 900 },
      { at: '2026-03-07T09:17:00Z', operationsPending: 5, bytesPending: 100 },
    ]);
    expect(points.map((point) => [point.pending, point.pendingBytes])).toEqual([
      [0, 0],
      [5, 900],
      [0, 0],
      [0, 0],
    ]);
  });
});
