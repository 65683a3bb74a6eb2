import { Button, Group } from '@mantine/core';
import { useSearchParams } from 'react-router';

/**
 * The paging cursor of the current page, kept in the URL (?cursor=) so a page can be linked and reloaded.
 * A page with a second list names its own parameter (e.g. `objectsCursor`).
 */
export function useCursorParam(param = 'cursor'): string | null {
  const [searchParams] = useSearchParams();
  return searchParams.get(param);
}

/**
 * The search parameters with a list's filter changed: each of `values` set, or removed where empty,
 * and the list's cursor dropped, since a changed filter starts again at the first page.
 */
export function withFilter(
  searchParams: URLSearchParams,
  values: Record<string, string | null>,
  cursorParam = 'cursor',
): URLSearchParams {
  const next = new URLSearchParams(searchParams);
  for (const [param, value] of Object.entries(values)) {
    if (value) {
      next.set(param, value);
    } else {
      next.delete(param);
    }
  }
  next.delete(cursorParam);
  return next;
}

interface CursorPagerProps {
  nextCursor: string | null | undefined;
  /** The search parameter holding the cursor; `cursor` unless the page pages more than one list. */
  param?: string;
}

/** Forward-only paging over a cursor list; the browser's back button returns to earlier pages. */
export function CursorPager({ nextCursor, param = 'cursor' }: CursorPagerProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  const onFirstPage = !searchParams.has(param);
  if (onFirstPage && !nextCursor) {
    return null;
  }
  const goTo = (cursor: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (cursor) {
      next.set(param, cursor);
    } else {
      next.delete(param);
    }
    setSearchParams(next, { flushSync: true });
  };
  return (
    <Group justify="flex-end">
      {!onFirstPage && (
        <Button variant="default" size="xs" onClick={() => goTo(null)}>
          First page
        </Button>
      )}
      <Button
        variant="default"
        size="xs"
        disabled={!nextCursor}
        onClick={() => nextCursor && goTo(nextCursor)}
      >
        Next page
      </Button>
    </Group>
  );
}
