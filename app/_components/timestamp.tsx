const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const formatDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/**
 * A moment, written the one way every page writes it ("7 Dec 2026, 00:10 UTC"; `dateOnly`: "7 Dec 2026"), in
 * UTC so the server's render and the browser agree, with the exact instant in `dateTime` for machines.
 */
export function Timestamp({ date, dateOnly = false }: { date: Date; dateOnly?: boolean }) {
  return <time dateTime={date.toISOString()}>{dateOnly ? formatDate.format(date) : `${format.format(date)} UTC`}</time>;
}
