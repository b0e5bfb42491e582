import { auditActions } from "./catalog";
import type { AuditFilters } from "./query";
import { auditAreas } from "./query";

type Search = Record<string, string | string[] | undefined>;

/** What the team's Audit log page and its export read from the address: the form's fields, as typed. */
export type AuditSearch = { actor: string; action: string; from: string; to: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? "";

/**
 * The page's filters from its query string (`actor`, `action`, `from` and `to` as days, `before` the
 * cursor). Anything that does not read as a filter is left out rather than refused: it is a form.
 * `to` includes its whole day (UTC).
 */
export function auditFiltersFromSearch(search: Search): {
  filters: AuditFilters;
  before?: number;
  values: AuditSearch;
} {
  const values: AuditSearch = {
    actor: first(search.actor).slice(0, 200),
    action: first(search.action),
    from: first(search.from),
    to: first(search.to),
  };
  const known = (auditActions as readonly string[]).includes(values.action) || auditAreas.includes(values.action);
  const day = (text: string, plusDays = 0) => {
    if (!DAY.test(text)) return undefined;
    const date = new Date(`${text}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime() + plusDays * 86_400_000);
  };
  const before = Number(first(search.before));
  return {
    filters: {
      actor: values.actor || undefined,
      action: known ? values.action : undefined,
      since: day(values.from),
      until: day(values.to, 1),
    },
    before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
    values: { ...values, action: known ? values.action : "" },
  };
}

/** The query string of these filters (for the pager's and the exports' links). */
export function auditSearchString(values: AuditSearch, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
