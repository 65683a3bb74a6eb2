import { useSearchParams } from 'react-router';
import { withFilter } from '../../components/CursorPager';
import type { ObjectReplicationStatus } from '../../api/types';

/** The statuses the objects list filters by, in the order offered; ALL lists every status. */
export const OBJECT_STATUS_FILTERS = [
  'FAILED',
  'PENDING',
  'COMPLETED',
  'REPLICA',
  'SKIPPED',
  'ALL',
] as const;

export type ObjectStatusFilter = (typeof OBJECT_STATUS_FILTERS)[number];

/** What the rule page's objects list shows: one status (FAILED unless the URL says otherwise) and optional filters. */
export interface ObjectFilter {
  status: ObjectStatusFilter;
  prefix: string | null;
  destination: string | null;
  failureReason: string | null;
}

/** The search parameters of the objects list, apart from the page's other state (`?range=`). */
export const OBJECT_PARAMS = {
  status: 'objectStatus',
  prefix: 'objectPrefix',
  destination: 'objectDestination',
  failureReason: 'objectReason',
  cursor: 'objectsCursor',
} as const;

/** Failure reasons belong to failed versions: the filter by reason is offered where those are listed. */
export function listsFailures(status: ObjectStatusFilter): boolean {
  return status === 'FAILED' || status === 'ALL';
}

function statusOf(value: string | null): ObjectStatusFilter {
  return OBJECT_STATUS_FILTERS.find((status) => status === value) ?? 'FAILED';
}

/** The status the API is asked for: none for ALL. */
export function apiStatus(status: ObjectStatusFilter): ObjectReplicationStatus | null {
  return status === 'ALL' ? null : status;
}

/** The objects list's filter, kept in the URL; a change starts again at the first page. */
export function useObjectFilter(): [ObjectFilter, (change: Partial<ObjectFilter>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const filter: ObjectFilter = {
    status: statusOf(searchParams.get(OBJECT_PARAMS.status)),
    prefix: searchParams.get(OBJECT_PARAMS.prefix) || null,
    destination: searchParams.get(OBJECT_PARAMS.destination) || null,
    failureReason: searchParams.get(OBJECT_PARAMS.failureReason) || null,
  };
  const setFilter = (change: Partial<ObjectFilter>) => {
    const next: ObjectFilter = { ...filter, ...change };
    if (!listsFailures(next.status)) {
      next.failureReason = null;
    }
    const params = withFilter(
      searchParams,
      {
        [OBJECT_PARAMS.status]: next.status === 'FAILED' ? null : next.status,
        [OBJECT_PARAMS.prefix]: next.prefix,
        [OBJECT_PARAMS.destination]: next.destination,
        [OBJECT_PARAMS.failureReason]: next.failureReason,
      },
      OBJECT_PARAMS.cursor,
    );
    setSearchParams(params, { preventScrollReset: true, flushSync: true });
  };
  return [filter, setFilter];
}
