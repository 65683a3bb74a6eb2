import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { formatInstant } from '../../components/Timestamp';
import { toLocalInput } from '../../components/localDateTime';

/** The preset time ranges the replication figures can cover, ending now. */
export const METRICS_RANGES = [
  { value: '1h', label: 'Last hour', window: 'the last hour', minutes: 60 },
  { value: '6h', label: 'Last 6 hours', window: 'the last 6 hours', minutes: 360 },
  { value: '24h', label: 'Last 24 hours', window: 'the last 24 hours', minutes: 1440 },
  { value: '7d', label: 'Last 7 days', window: 'the last 7 days', minutes: 10080 },
] as const;

export type PresetRange = (typeof METRICS_RANGES)[number];

/** The choice of the time-range control that stands for a window of one's own. */
export const CUSTOM_RANGE = 'custom';

/** A fixed window: it does not move on as time passes. */
export interface CustomRange {
  value: typeof CUSTOM_RANGE;
  /** ISO-8601 instants, as the metrics endpoint takes them. */
  from: string;
  to: string;
  /** The window for a sentence, its time zone named. */
  window: string;
}

export type MetricsRange = PresetRange | CustomRange;

/** The longest window the server answers (RuleMetricsController.MAX_RANGE). */
export const MAX_RANGE_DAYS = 31;
const MAX_RANGE_MS = MAX_RANGE_DAYS * 24 * 60 * 60_000;

/** How far a custom range may end after now: the browser's clock may be a little ahead of the server's. */
const FUTURE_SLACK_MS = 60_000;

/**
 * Chart steps by the length of the window: a point a minute up to a day, 10-minute steps up to a
 * week, hours beyond (the server keeps figures older than 7 days by the hour anyway). A chart
 * keeps at most about 1,500 points, which its width can still tell apart.
 */
const CHART_STEPS = [
  { upToMinutes: 24 * 60, stepMinutes: 1 },
  { upToMinutes: 7 * 24 * 60, stepMinutes: 10 },
  { upToMinutes: Infinity, stepMinutes: 60 },
] as const;

/**
 * The chart step of figures over from..to, taken from their own window so that figures still shown
 * while those of another range load keep the step they were drawn with. A window measured a little
 * after its range began (up to a minute) still counts as that range.
 */
export function stepMinutesOf(from: string, to: string): number {
  const minutes = (Date.parse(to) - Date.parse(from)) / 60_000;
  return CHART_STEPS.find((step) => step.upToMinutes >= minutes - 1)!.stepMinutes;
}

/** The search parameters of the time range, apart from the page's other state (the objects list's). */
const PARAMS = { range: 'range', from: 'from', to: 'to' } as const;

export function metricsRangeOf(value: string | null): PresetRange {
  return METRICS_RANGES.find((range) => range.value === value) ?? METRICS_RANGES[0];
}

export function customRange(from: number, to: number): CustomRange {
  return {
    value: CUSTOM_RANGE,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    window: `the window from ${formatInstant(new Date(from))} to ${formatInstant(new Date(to))}`,
  };
}

/** The `from` and `to` of a range as the metrics endpoint takes them: a preset's ends at now. */
export function metricsWindow(range: MetricsRange, now = Date.now()) {
  if (range.value === CUSTOM_RANGE) {
    return { from: range.from, to: range.to };
  }
  return {
    from: new Date(now - range.minutes * 60_000).toISOString(),
    to: new Date(now).toISOString(),
  };
}

/** What tells the figures of one range from those of another, for a query key. */
export function metricsRangeKey(range: MetricsRange) {
  return range.value === CUSTOM_RANGE
    ? { range: range.value, from: range.from, to: range.to }
    : { range: range.value };
}

/** What is wrong with a custom range, by field; a message says what to do. */
export interface RangeErrors {
  from?: string;
  to?: string;
}

/** The errors of a custom range whose ends are epoch milliseconds (null: missing or unreadable); null if it is valid. */
export function rangeErrors(
  from: number | null,
  to: number | null,
  now = Date.now(),
): RangeErrors | null {
  const errors: RangeErrors = {};
  if (from === null) {
    errors.from = 'Enter the date and time the range starts.';
  }
  if (to === null) {
    errors.to = 'Enter the date and time the range ends.';
  } else if (to > now + FUTURE_SLACK_MS) {
    errors.to = 'To is in the future: enter a time no later than now.';
  } else if (from !== null && from >= to) {
    errors.to = 'To must be after From: enter a later To or an earlier From.';
  } else if (from !== null && to - from > MAX_RANGE_MS) {
    errors.from = `The range is longer than ${MAX_RANGE_DAYS} days: enter a From at most ${MAX_RANGE_DAYS} days before To.`;
  }
  return errors.from || errors.to ? errors : null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with its offset, as the URL holds it, in epoch milliseconds; null if it is not one. */
function parseInstant(value: string | null): number | null {
  if (value === null || !ISO_INSTANT.test(value)) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The URL's from/to when they are no range that can be shown: the inputs' values and what is wrong. */
export interface InvalidLinkedRange {
  from: string;
  to: string;
  errors: RangeErrors;
}

interface LinkedRange {
  range: MetricsRange;
  invalid: InvalidLinkedRange | null;
}

/** The range of the URL: from/to if it has either, else the preset of ?range= (the default hour if none). */
function linkedRange(searchParams: URLSearchParams, now = Date.now()): LinkedRange {
  const fromParam = searchParams.get(PARAMS.from);
  const toParam = searchParams.get(PARAMS.to);
  if (fromParam === null && toParam === null) {
    return { range: metricsRangeOf(searchParams.get(PARAMS.range)), invalid: null };
  }
  const from = parseInstant(fromParam);
  const to = parseInstant(toParam);
  const errors = rangeErrors(from, to, now);
  if (errors || from === null || to === null) {
    const input = (ms: number | null) => (ms === null ? '' : toLocalInput(ms));
    return {
      range: METRICS_RANGES[0],
      invalid: { from: input(from), to: input(to), errors: errors ?? {} },
    };
  }
  return { range: customRange(from, to), invalid: null };
}

export interface MetricsRangeChoice extends LinkedRange {
  /** Shows a preset range, ending now (?range=, none for the default hour). */
  choosePreset: (value: string) => void;
  /** Shows a fixed window (?from=&to=); the caller has checked it with rangeErrors. */
  applyCustom: (from: number, to: number) => void;
}

/** The range chosen in the URL, and setters keeping the other search parameters. */
export function useMetricsRange(): MetricsRangeChoice {
  const [searchParams, setSearchParams] = useSearchParams();
  // Checked once per URL, not at every render: a link's To a few seconds ahead of now would
  // otherwise turn valid while it is shown.
  const linked = useMemo(() => linkedRange(searchParams), [searchParams]);
  const update = (change: (params: URLSearchParams) => void) => {
    const next = new URLSearchParams(searchParams);
    next.delete(PARAMS.range);
    next.delete(PARAMS.from);
    next.delete(PARAMS.to);
    change(next);
    setSearchParams(next, { preventScrollReset: true, flushSync: true });
  };
  return {
    ...linked,
    choosePreset: (value) =>
      update((params) => {
        if (value !== METRICS_RANGES[0].value) {
          params.set(PARAMS.range, value);
        }
      }),
    applyCustom: (from, to) =>
      update((params) => {
        params.set(PARAMS.from, new Date(from).toISOString());
        params.set(PARAMS.to, new Date(to).toISOString());
      }),
  };
}
