import type { MetricPoint, PendingPoint } from '../../api/types';

/** One step of a chart: what finished in it, and the highest p99 latency of its minutes. */
export interface ChartPoint {
  /** Start of the step, epoch milliseconds. */
  at: number;
  /** The start of the step, readably, for the x-axis and tooltip. */
  time: string;
  replicated: number;
  failed: number;
  /** null when nothing was replicated in the step, so the line has a gap rather than a zero. */
  p99: number | null;
  /** The most versions pending at once in the step, and their bytes; zero when none was sampled. */
  pending: number;
  pendingBytes: number;
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * The series as a chart's data: a point for every step from `from` to `to`, steps without activity
 * filled with zero operations (the server leaves those minutes out, and a chart would otherwise draw a
 * line straight across them). With steps of several minutes, operations add up and the p99 is the
 * highest of the minutes'. Only minutes that replicated something carry a latency. Pending figures
 * are the highest sample of the step.
 */
export function chartPoints(
  series: MetricPoint[],
  from: string,
  to: string,
  stepMinutes: number,
  pendingSeries: PendingPoint[] = [],
): ChartPoint[] {
  const step = stepMinutes * 60_000;
  const first = Math.floor(Date.parse(from) / step) * step;
  const last = Math.floor(Date.parse(to) / step) * step;
  const format = last - first > 12 * 60 * 60_000 ? dayAndTime : timeOnly;
  const steps = new Map<number, { replicated: number; failed: number; p99: number | null }>();
  for (const point of series) {
    const at = Math.floor(Date.parse(point.at) / step) * step;
    const current = steps.get(at) ?? { replicated: 0, failed: 0, p99: null };
    current.replicated += point.operationsReplicated;
    current.failed += point.operationsFailed;
    if (point.operationsReplicated > 0) {
      current.p99 = Math.max(current.p99 ?? 0, point.latencyP99Seconds);
    }
    steps.set(at, current);
  }
  const pending = new Map<number, { operations: number; bytes: number }>();
  for (const point of pendingSeries) {
    const at = Math.floor(Date.parse(point.at) / step) * step;
    const current = pending.get(at) ?? { operations: 0, bytes: 0 };
    current.operations = Math.max(current.operations, point.operationsPending);
    current.bytes = Math.max(current.bytes, point.bytesPending);
    pending.set(at, current);
  }
  const points: ChartPoint[] = [];
  for (let at = first; at <= last; at += step) {
    const found = steps.get(at);
    points.push({
      at,
      time: format.format(at),
      replicated: found?.replicated ?? 0,
      failed: found?.failed ?? 0,
      p99: found?.p99 ?? null,
      pending: pending.get(at)?.operations ?? 0,
      pendingBytes: pending.get(at)?.bytes ?? 0,
    });
  }
  return points;
}

/** Spacings of the x-axis ticks in minutes, shortest first. */
const TICK_SPACINGS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440];

/** Ticks on a chart's x-axis at most: labels of a day and a time stay apart on a half-width chart. */
const MAX_TICKS = 8;

const MINUTES_A_DAY = 24 * 60;

const dayOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export interface AxisTicks {
  /** The `time` of the points that tick. */
  ticks: string[];
  /** A tick's label: the date alone when ticks are days apart. */
  tickFormatter: (time: string) => string;
}

/**
 * The x-axis ticks of the points: at round times of the browser's time zone, as close together as
 * MAX_TICKS allows, from every minute of a window of a few minutes to a week apart over 31 days. A
 * point ticks when its step holds such a round time, so that steps beginning off the zone's hours
 * (in a zone half an hour from UTC) still get theirs.
 */
export function axisTicks(points: ChartPoint[], stepMinutes: number): AxisTicks {
  if (points.length === 0) {
    return { ticks: [], tickFormatter: (time) => time };
  }
  const spanMinutes = (points[points.length - 1]!.at - points[0]!.at) / 60_000;
  const spacing =
    TICK_SPACINGS.find(
      (candidate) => candidate % stepMinutes === 0 && spanMinutes / candidate <= MAX_TICKS,
    ) ?? TICK_SPACINGS[TICK_SPACINGS.length - 1]!;
  const ticked = points.flatMap((point) => {
    const local = point.at / 60_000 - new Date(point.at).getTimezoneOffset();
    const untilRound = (spacing - (((local % spacing) + spacing) % spacing)) % spacing;
    return untilRound < stepMinutes
      ? [{ time: point.time, round: point.at + untilRound * 60_000 }]
      : [];
  });
  if (spacing < MINUTES_A_DAY) {
    return { ticks: ticked.map((tick) => tick.time), tickFormatter: (time) => time };
  }
  const days = new Map(ticked.map((tick) => [tick.time, dayOnly.format(tick.round)]));
  return { ticks: [...days.keys()], tickFormatter: (time) => days.get(time) ?? time };
}
