import { formatDateTime } from "@/lib/core/format";

const formatDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/**
 * A moment as `formatDateTime` writes it ("7 Dec 2026, 00:10 UTC"; `dateOnly`: "7 Dec 2026"), in UTC
 * so the server's render and the browser agree, with the exact instant in `dateTime` for machines.
 */
export function Timestamp({ date, dateOnly = false }: { date: Date; dateOnly?: boolean }) {
  return <time dateTime={date.toISOString()}>{dateOnly ? formatDate.format(date) : formatDateTime(date)}</time>;
}
