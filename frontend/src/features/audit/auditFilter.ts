import { useSearchParams } from 'react-router';
import { withFilter } from '../../components/CursorPager';

/** What the audit log shows: an action or a group of them, an actor containing a text, and a time range. */
export interface AuditFilter {
  action: string | null;
  actor: string | null;
  since: string | null;
  until: string | null;
}

const FIELDS = ['action', 'actor', 'since', 'until'] as const;

/**
 * The actions offered, as the server groups them: a group (`session`) stands for every action that
 * starts with it and a dot.
 */
export const AUDIT_ACTIONS = [
  { value: '', label: 'All actions' },
  { value: 'session', label: 'Sign-ins and sign-outs' },
  { value: 'session.failed', label: 'Failed sign-ins' },
  { value: 'token', label: 'API tokens' },
  { value: 'user', label: 'Users' },
  { value: 'trust', label: 'Trusts' },
  { value: 'rule', label: 'Rules' },
  { value: 'batch', label: 'Batch jobs' },
  { value: 'objects', label: 'Object retries' },
  { value: 'webhook', label: 'Webhooks' },
  { value: 'tenant', label: 'Tenant' },
] as const;

/** The audit log's filter, kept in the URL (?action=&actor=&since=&until=); a change starts at the first page. */
export function useAuditFilter(): [AuditFilter, (change: Partial<AuditFilter>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const filter: AuditFilter = {
    action: searchParams.get('action') || null,
    actor: searchParams.get('actor') || null,
    since: searchParams.get('since') || null,
    until: searchParams.get('until') || null,
  };
  const setFilter = (change: Partial<AuditFilter>) => {
    // flushSync: the page shows the new filter before the next event is handled. In a transition
    // (React Router's default) the URL changes at once but the render can lag on a busy machine, and
    // a filter applied meanwhile would be merged into the old one and drop this change.
    setSearchParams(withFilter(searchParams, { ...filter, ...change }), {
      preventScrollReset: true,
      flushSync: true,
    });
  };
  return [filter, setFilter];
}

export function isFiltered(filter: AuditFilter): boolean {
  return FIELDS.some((field) => filter[field] !== null);
}
