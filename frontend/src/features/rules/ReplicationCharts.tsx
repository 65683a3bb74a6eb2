import { AreaChart, LineChart } from '@mantine/charts';
import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { DestinationMetrics, RuleMetrics } from '../../api/types';
import { stepMinutesOf } from './metricsRange';
import { axisTicks, type ChartPoint, chartPoints } from './metricsSeries';
import { formatBytes, formatMinutes, formatSeconds, formatSecondsShort } from './replicationFormat';

const CHART_HEIGHT = 220;

interface ReplicationChartsProps {
  metrics: RuleMetrics;
  /** The rule's replication-time threshold, drawn on the latency chart. */
  thresholdMinutes: number;
}

/** Per destination: operations that finished, and the p99 latency, over the window of the metrics. */
export function ReplicationCharts({ metrics, thresholdMinutes }: ReplicationChartsProps) {
  const stepMinutes = stepMinutesOf(metrics.from, metrics.to);
  return (
    <Stack gap="lg" data-testid="replication-charts">
      {metrics.destinations.map((destination) => (
        <DestinationCharts
          key={destination.bucket}
          destination={destination}
          from={metrics.from}
          to={metrics.to}
          stepMinutes={stepMinutes}
          thresholdMinutes={thresholdMinutes}
        />
      ))}
    </Stack>
  );
}

interface DestinationChartsProps {
  destination: DestinationMetrics;
  from: string;
  to: string;
  stepMinutes: number;
  thresholdMinutes: number;
}

function DestinationCharts({
  destination,
  from,
  to,
  stepMinutes,
  thresholdMinutes,
}: DestinationChartsProps) {
  const { series, pendingSeries, bucket } = destination;
  const { data, xAxisProps } = useMemo(() => {
    const points = chartPoints(series, from, to, stepMinutes, pendingSeries);
    return { data: points, xAxisProps: { ...axisTicks(points, stepMinutes), minTickGap: 24 } };
  }, [series, pendingSeries, from, to, stepMinutes]);
  const step = stepName(stepMinutes);
  const threshold = thresholdMinutes * 60;
  const highest = Math.max(0, ...series.map((point) => point.latencyP99Seconds));
  // Stretching the axis to a threshold far above the points would flatten them onto zero: the
  // line is drawn only when the points come within a third of it.
  const drawThreshold = highest >= threshold / 3;
  return (
    <Stack gap="xs" role="group" aria-label={`Charts of ${bucket}`}>
      <Title order={4} size="h5">
        {bucket}
      </Title>
      {series.length === 0 && pendingSeries.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing was replicated to this destination, nothing failed and nothing waited, in this
          time range.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <Stack gap={4} data-testid="operations-chart">
            <Text size="sm" fw={500}>
              Operations per {step}
            </Text>
            <AreaChart
              h={CHART_HEIGHT}
              data={data}
              dataKey="time"
              series={[
                { name: 'replicated', label: 'Replicated', color: 'teal.6' },
                { name: 'failed', label: 'Failed', color: 'red.6' },
              ]}
              curveType="linear"
              withDots={false}
              withLegend
              legendProps={{ verticalAlign: 'bottom' }}
              yAxisProps={{ allowDecimals: false }}
              xAxisProps={xAxisProps}
            />
            <Text size="xs" c="dimmed">
              Object versions replicated to this destination, and versions whose replication failed,
              per {step}, counted when they finished. Steps without any show as zero.
            </Text>
          </Stack>
          <Stack gap={4} data-testid="latency-chart">
            <Text size="sm" fw={500}>
              p99 latency per {step}
            </Text>
            <LineChart
              h={CHART_HEIGHT}
              data={data}
              dataKey="time"
              series={[{ name: 'p99', label: 'p99 latency', color: 'indigo.6' }]}
              curveType="linear"
              connectNulls={false}
              dotProps={{ r: 2 }}
              activeDotProps={{ r: 4 }}
              withLegend
              legendProps={{ verticalAlign: 'bottom' }}
              valueFormatter={formatSeconds}
              yAxisProps={{ tickFormatter: formatSecondsShort, width: 56 }}
              xAxisProps={xAxisProps}
              referenceLines={
                drawThreshold
                  ? [
                      {
                        y: threshold,
                        label: `Threshold ${thresholdMinutes} min`,
                        labelPosition: 'insideTopRight',
                        color: 'red.6',
                        strokeDasharray: '4 4',
                        ifOverflow: 'extendDomain',
                      },
                    ]
                  : []
              }
            />
            {!drawThreshold && (
              <Text size="xs" c="dimmed" data-testid="threshold-above">
                Every point lies well below the replication-time threshold (
                {formatMinutes(thresholdMinutes)}), which is above this chart.
              </Text>
            )}
            <Text size="xs" c="dimmed">
              99% of the versions replicated in the {step} took at most this long, from their write
              to the source bucket until their replica was written
              {stepMinutes > 1 ? ' (the highest minute of the step)' : ''}. The dashed line is the
              rule&apos;s replication-time threshold, {formatMinutes(thresholdMinutes)}: points
              above it mean versions replicated late. A gap in the line means nothing was replicated
              then.
            </Text>
          </Stack>
          <PendingChart data={data} xAxisProps={xAxisProps} step={step} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

interface PendingChartProps {
  data: ChartPoint[];
  xAxisProps: ReturnType<typeof axisTicks> & { minTickGap: number };
  step: string;
}

/** How much waited to be replicated over the window: versions on the left axis, bytes on the right. */
function PendingChart({ data, xAxisProps, step }: PendingChartProps) {
  return (
    <Stack gap={4} data-testid="pending-chart">
      <Text size="sm" fw={500}>
        Pending per {step}
      </Text>
      <LineChart
        h={CHART_HEIGHT}
        data={data}
        dataKey="time"
        series={[
          { name: 'pending', label: 'Versions pending', color: 'orange.7' },
          {
            name: 'pendingBytes',
            label: 'Bytes pending',
            color: 'gray.7',
            yAxisId: 'right',
            strokeDasharray: '4 4',
          },
        ]}
        curveType="linear"
        withDots={false}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        valueFormatter={(value) => value.toLocaleString()}
        yAxisProps={{ allowDecimals: false }}
        withRightYAxis
        rightYAxisProps={{ tickFormatter: formatBytes, width: 72, allowDecimals: false }}
        xAxisProps={xAxisProps}
      />
      <Text size="xs" c="dimmed">
        The most object versions (solid) and bytes (dashed) waiting to be replicated to this
        destination at once in each {step}, new writes and retries alike, sampled several times a
        minute. A rising line means replication falls behind; a flat one above zero, versions that
        are stuck (see the pending objects below). Zero also where no scheduler was running.
      </Text>
    </Stack>
  );
}

function stepName(stepMinutes: number): string {
  if (stepMinutes === 1) {
    return 'minute';
  }
  return stepMinutes === 60 ? 'hour' : `${stepMinutes} minutes`;
}
