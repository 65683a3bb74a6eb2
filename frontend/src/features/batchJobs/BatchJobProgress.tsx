import { Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { BatchJob } from '../../api/types';
import { finishedTasks, isActive } from './labels';

/** Share of the tasks, in percent, for a progress bar; 0 while there are none. */
function percent(count: number, total: number): number {
  return total > 0 ? Math.min(100, (count / total) * 100) : 0;
}

/** "12 of 40 tasks", "so far" while the job is still finding them. */
export function progressText(job: BatchJob): string {
  const text = `${finishedTasks(job)} of ${job.totalObjects} tasks`;
  return job.status === 'PREPARING' ? `${text} so far` : text;
}

/** A bar of the finished tasks, and how many of how many; for the jobs list. */
export function BatchJobProgressCompact({ job }: { job: BatchJob }) {
  return (
    <Stack gap={2} miw={140}>
      <Progress
        size="sm"
        value={percent(finishedTasks(job), job.totalObjects)}
        color={job.failed > 0 ? 'orange' : 'teal'}
        striped={isActive(job)}
        animated={isActive(job)}
        aria-label="Finished tasks"
      />
      <Text size="xs" c="dimmed">
        {progressText(job)}
      </Text>
    </Stack>
  );
}

/** A bar split into succeeded, failed and skipped tasks; for the job's page. */
export function BatchJobProgress({ job }: { job: BatchJob }) {
  const sections = [
    { label: 'Succeeded', count: job.succeeded, color: 'teal' },
    { label: 'Failed', count: job.failed, color: 'red' },
    { label: 'Skipped', count: job.skipped, color: 'gray' },
  ];
  return (
    <Stack gap={4} maw={800}>
      <Progress.Root size="xl">
        {sections.map(({ label, count, color }) => (
          <Tooltip key={label} label={`${label}: ${count}`}>
            <Progress.Section
              value={percent(count, job.totalObjects)}
              color={color}
              striped={isActive(job)}
              animated={isActive(job)}
              aria-label={label}
            />
          </Tooltip>
        ))}
      </Progress.Root>
      <Text size="sm" c="dimmed">
        {progressText(job)} finished
      </Text>
    </Stack>
  );
}
