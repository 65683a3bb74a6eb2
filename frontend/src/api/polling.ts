/**
 * How often a page that shows live figures fetches them again while nothing on it is going (no version pending, no
 * job running, no delivery pending): work started elsewhere — through the API, by a scan or an S3 event — shows
 * within this time, without a reload. Queries of live figures also set `refetchIntervalInBackground: false`: a hidden
 * browser tab polls nothing, and TanStack Query fetches the stale ones again as soon as it is shown.
 */
export const IDLE_POLL_MS = 15_000;

/** The refetch interval of live figures: `activeMs` while something they show is going, else IDLE_POLL_MS. */
export function pollInterval(active: boolean, activeMs: number): number {
  return active ? activeMs : IDLE_POLL_MS;
}
