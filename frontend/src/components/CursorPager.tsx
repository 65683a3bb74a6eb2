import { Button, Group } from '@mantine/core';
import { useSearchParams } from 'react-router';

/** The paging cursor of the current page, kept in the URL (?cursor=) so a page can be linked and reloaded. */
export function useCursorParam(): string | null {
  const [searchParams] = useSearchParams();
  return searchParams.get('cursor');
}

interface CursorPagerProps {
  nextCursor: string | null | undefined;
}

/** Forward-only paging over a cursor list; the browser's back button returns to earlier pages. */
export function CursorPager({ nextCursor }: CursorPagerProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  const onFirstPage = !searchParams.has('cursor');
  if (onFirstPage && !nextCursor) {
    return null;
  }
  const goTo = (cursor: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (cursor) {
      next.set('cursor', cursor);
    } else {
      next.delete('cursor');
    }
    setSearchParams(next);
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
