import { useSearchParams } from 'react-router';

/**
 * The time ranges the replication figures can cover, ending now. Charts have a point per minute up to
 * a day; a week is shown in 10-minute steps, which a chart's width can still tell apart.
 */
export const METRICS_RANGES = [
  { value: '1h', label: 'Last hour', window: 'the last hour', minutes: 60, stepMinutes: 1 },
  { value: '6h', label: 'Last 6 hours', window: 'the last 6 hours', minutes: 360, stepMinutes: 1 },
  {
    value: '24h',
    label: 'Last 24 hours',
    window: 'the last 24 hours',
    minutes: 1440,
    stepMinutes: 1,
  },
  { value: '7d', label: 'Last 7 days', window: 'the last 7 days', minutes: 10080, stepMinutes: 10 },
] as const;

export type MetricsRange = (typeof METRICS_RANGES)[number];

/**
 * The chart step of figures over from..to: that of the shortest range covering the window, so that
 * figures still shown while those of another range load keep the step they were drawn with.
 */
export function stepMinutesOf(from: string, to: string): number {
  const minutes = (Date.parse(to) - Date.parse(from)) / 60_000;
  const range = METRICS_RANGES.find((candidate) => candidate.minutes >= minutes - 1);
  return (range ?? METRICS_RANGES[METRICS_RANGES.length - 1]!).stepMinutes;
}

/** The search parameter holding the range; absent means the first (the server's default hour). */
export const RANGE_PARAM = 'range';

export function metricsRangeOf(value: string | null): MetricsRange {
  return METRICS_RANGES.find((range) => range.value === value) ?? METRICS_RANGES[0];
}

/** The `from` and `to` of a range ending at now, as the metrics endpoint takes them. */
export function metricsWindow(range: MetricsRange, now = Date.now()) {
  return {
    from: new Date(now - range.minutes * 60_000).toISOString(),
    to: new Date(now).toISOString(),
  };
}

/** The range chosen in the URL (?range=6h), and a setter keeping the other search parameters. */
export function useMetricsRange(): [MetricsRange, (value: string) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const range = metricsRangeOf(searchParams.get(RANGE_PARAM));
  const setRange = (value: string) => {
    const next = new URLSearchParams(searchParams);
    if (value === METRICS_RANGES[0].value) {
      next.delete(RANGE_PARAM);
    } else {
      next.set(RANGE_PARAM, value);
    }
    setSearchParams(next);
  };
  return [range, setRange];
}
