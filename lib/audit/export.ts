import type { AuditEventRow } from "@/lib/db/schema";

/** An event as the API and the exports give it: snake_case, the id as a string (it outgrows a JS number's safe range in theory). */
export function auditEventJson(event: AuditEventRow) {
  return {
    id: String(event.id),
    occurred_at: event.occurredAt.toISOString(),
    action: event.action,
    actor: { type: event.actorType, id: event.actorId, label: event.actorLabel },
    target: event.targetType && event.targetId ? { type: event.targetType, id: event.targetId } : null,
    ip: event.ip,
    user_agent: event.userAgent,
    request_id: event.requestId,
    metadata: event.metadata,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

export type AuditEventJson = ReturnType<typeof auditEventJson>;

export const CSV_COLUMNS = [
  "id",
  "occurred_at",
  "action",
  "actor_type",
  "actor_id",
  "actor_label",
  "target_type",
  "target_id",
  "ip",
  "user_agent",
  "request_id",
  "metadata",
  "prev_hash",
  "hash",
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: a label is anyone's text.
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvHeader = () => `${CSV_COLUMNS.join(",")}\r\n`;

export function csvRow(event: AuditEventRow): string {
  const fields = [
    String(event.id),
    event.occurredAt.toISOString(),
    event.action,
    event.actorType,
    event.actorId,
    event.actorLabel,
    event.targetType,
    event.targetId,
    event.ip,
    event.userAgent,
    event.requestId,
    JSON.stringify(event.metadata),
    event.prevHash,
    event.hash,
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** An export as a stream of text: CSV, or a JSON array written an event at a time. */
export function exportStream(events: AsyncIterable<AuditEventRow>, format: "csv" | "json"): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let first = true;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? csvHeader() : "["));
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode("]\n"));
        controller.close();
        return;
      }
      const text =
        format === "csv" ? csvRow(next.value) : `${first ? "" : ","}\n${JSON.stringify(auditEventJson(next.value))}`;
      first = false;
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
