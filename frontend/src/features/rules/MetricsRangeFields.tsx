import { Alert, Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import {
  CUSTOM_RANGE,
  type InvalidLinkedRange,
  MAX_RANGE_DAYS,
  METRICS_RANGES,
  type MetricsRange,
  metricsWindow,
  type RangeErrors,
  rangeErrors,
} from './metricsRange';
import { fromLocalInput, toLocalInput } from '../../components/localDateTime';

const RANGE_CHOICES = [
  ...METRICS_RANGES.map(({ value, label }) => ({ value, label })),
  { value: CUSTOM_RANGE, label: 'Custom range…' },
];

/** The presets and "Custom range…", which opens the custom range's fields. */
export function TimeRangeControl({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <SegmentedControl
      size="xs"
      aria-label="Time range"
      value={value}
      onChange={onChange}
      data={RANGE_CHOICES}
    />
  );
}

interface CustomRangeFormProps {
  /** The range shown, which the fields start with. */
  range: MetricsRange;
  /** The URL's from/to when they could not be shown (the default hour is shown instead). */
  invalidLink: InvalidLinkedRange | null;
  onApply: (from: number, to: number) => void;
}

/**
 * From and To of a custom range in the browser's time zone, checked before anything is fetched.
 * Keyed by the range shown, it starts again when that changes.
 */
export function CustomRangeForm({ range, invalidLink, onApply }: CustomRangeFormProps) {
  const [initial] = useState(() => invalidLink ?? fieldsOf(range));
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [errors, setErrors] = useState<RangeErrors>(invalidLink?.errors ?? {});
  const apply = () => {
    const start = fromLocalInput(from);
    const end = fromLocalInput(to);
    const found = rangeErrors(start, end);
    setErrors(found ?? {});
    if (!found) {
      onApply(start!, end!);
    }
  };
  return (
    <form
      aria-label="Custom time range"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <Stack gap="xs">
        {invalidLink && (
          <Alert color="yellow" variant="light" data-testid="invalid-range-link">
            The time range in the link cannot be shown, so these are the figures for the last hour.
            Correct it below and apply, or choose another range.
          </Alert>
        )}
        <Group align="flex-start" gap="sm">
          <TextInput
            type="datetime-local"
            label="From"
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
            error={errors.from}
          />
          <TextInput
            type="datetime-local"
            label="To"
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            error={errors.to}
          />
          {/* Level with the inputs, below their labels, whether or not an error shows under them. */}
          <Button
            type="submit"
            variant="default"
            mt="calc(var(--mantine-font-size-sm) * var(--mantine-line-height))"
          >
            Apply
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          In your browser&apos;s time zone ({browserTimeZone()}). At most {MAX_RANGE_DAYS} days,
          ending no later than now. The window does not move on as time passes, and the page&apos;s
          link shows it again.
        </Text>
      </Stack>
    </form>
  );
}

/** The fields of the range shown: a preset's ends at the current minute. */
function fieldsOf(range: MetricsRange) {
  const window = metricsWindow(range, Math.floor(Date.now() / 60_000) * 60_000);
  return { from: toLocalInput(Date.parse(window.from)), to: toLocalInput(Date.parse(window.to)) };
}

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
