import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One Sentry envelope item (an error event, usually), parsed. */
export type SentryItem = { type: string; payload: Record<string, unknown>; raw: string };
/** One PostHog event as it arrived in a batch. */
export type PostHogEvent = { event: string; distinct_id: string; properties?: Record<string, unknown>; raw: string };

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  // Both SDKs may gzip; PostHog says so in content-encoding, so check the magic bytes too.
  const gzipped = req.headers["content-encoding"] === "gzip" || (bytes[0] === 0x1f && bytes[1] === 0x8b);
  return (gzipped ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** A Sentry envelope: a header line, then pairs of item-header and payload lines. */
function parseEnvelope(text: string): SentryItem[] {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const items: SentryItem[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i]!) as { type: string };
    const raw = lines[i + 1]!;
    let payload: Record<string, unknown> = {};
    try {
      payload = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // attachments and other binary items are not JSON
    }
    items.push({ type: header.type, payload, raw });
  }
  return items;
}

/**
 * A local stand-in for both ingest endpoints the real SDKs post to: Sentry's
 * envelope endpoint (`POST /api/<project>/envelope/`, reached through a DSN
 * `http://KEY@127.0.0.1:PORT/42`) and PostHog's capture endpoints (`/batch/`,
 * `/i/v0/e/`, reached through POSTHOG_HOST). It records what arrived, raw text
 * included, so a test can prove what was not sent. `GET /received` answers
 * with all of it, for a test in another process (the browser suite).
 */
export async function startFakeIngest(port = 0) {
  const sentry: SentryItem[] = [];
  const posthog: PostHogEvent[] = [];
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const text = await bodyOf(req);
    const path = (req.url ?? "").split("?")[0]!;
    if (req.method === "GET" && path === "/received") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ sentry, posthog }));
      return;
    }
    requests.push(`${req.method} ${path}`);
    if (/^\/api\/\d+\/envelope\/?$/.test(path)) {
      sentry.push(...parseEnvelope(text));
    } else if (path.startsWith("/batch") || path.startsWith("/i/v0/e") || path.startsWith("/capture")) {
      const body = JSON.parse(text) as { batch?: PostHogEvent[] } & PostHogEvent;
      for (const event of body.batch ?? [body]) posthog.push({ ...event, raw: JSON.stringify(event) });
    }
    res.setHeader("content-type", "application/json");
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    sentryDsn: `${url.replace("://", "://publickey@")}/42`,
    requests,
    /** Error events (not sessions or client reports). */
    sentryErrors: () => sentry.filter((item) => item.type === "event"),
    posthogEvents: (name?: string) => posthog.filter((event) => !name || event.event === name),
    clear: () => {
      sentry.length = 0;
      posthog.length = 0;
      requests.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns something truthy (an SDK sends on its own schedule), or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error("nothing arrived in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
