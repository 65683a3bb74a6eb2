import { withQuery } from './client';

export const PAGE_SIZE = 50;

/** The path of one page of a list endpoint; a null cursor means the first page. */
export function pagePath(path: string, cursor: string | null) {
  return withQuery(path, { limit: PAGE_SIZE, cursor });
}
