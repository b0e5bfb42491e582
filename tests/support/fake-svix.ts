import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type SvixRequestSeen = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
};

/**
 * A local stand-in for Svix's REST API, for the real `svix` client pointed at it with
 * SVIX_SERVER_URL: `POST /api/v1/app/{app}/msg` (creates the application with the message when the
 * body carries `application`; honours `idempotency-key` as Svix does, answering a repeat with the
 * first answer; refuses a second message with the same `eventId` with 409) and
 * `POST /api/v1/auth/app-portal-access/{app}`. It records every request and can be told to fail.
 */
export async function startFakeSvix() {
  const received: SvixRequestSeen[] = [];
  const applications = new Map<string, { name: string; messages: Map<string, Record<string, unknown>> }>();
  const answers = new Map<string, { status: number; body: unknown }>();
  let failing: number | null = null;

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://svix.local").pathname;
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      received.push({ method: req.method ?? "GET", path, headers: req.headers, body });
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.headers.authorization !== "Bearer testsk_fake_svix_key")
        return reply(401, { code: "authentication_failed", detail: "Invalid token" });
      if (failing) return reply(failing, { code: "server_error", detail: "Internal Server Error" });
      const key = String(req.headers["idempotency-key"] ?? "");
      const seen = answers.get(`${path}:${key}`);
      if (key && seen) return reply(seen.status, seen.body);
      const remember = (status: number, json: unknown) => {
        if (key) answers.set(`${path}:${key}`, { status, body: json });
        reply(status, json);
      };

      const message = path.match(/^\/api\/v1\/app\/([^/]+)\/msg\/?$/);
      if (req.method === "POST" && message) {
        const appId = decodeURIComponent(message[1]!);
        let app = applications.get(appId);
        const wanted = body.application as { uid?: string; name?: string } | undefined;
        if (!app && wanted) applications.set(appId, (app = { name: wanted.name ?? appId, messages: new Map() }));
        if (!app) return reply(404, { code: "not_found", detail: "Application not found" });
        const eventId = body.eventId as string | undefined;
        if (eventId && app.messages.has(eventId))
          return reply(409, { code: "conflict", detail: "A message with this eventId already exists" });
        const out = {
          id: `msg_svix${app.messages.size + 1}`,
          eventId,
          eventType: body.eventType,
          payload: body.payload,
          timestamp: new Date().toISOString(),
        };
        app.messages.set(eventId ?? out.id, out);
        return remember(202, out);
      }
      const portal = path.match(/^\/api\/v1\/auth\/app-portal-access\/([^/]+)\/?$/);
      if (req.method === "POST" && portal) {
        const appId = decodeURIComponent(portal[1]!);
        const wanted = body.application as { name?: string } | undefined;
        if (!applications.has(appId) && wanted)
          applications.set(appId, { name: wanted.name ?? appId, messages: new Map() });
        if (!applications.has(appId)) return reply(404, { code: "not_found", detail: "Application not found" });
        return remember(200, { url: `https://app.svix.example/login#key=portal-${appId}`, token: `appsk_${appId}` });
      }
      reply(404, { code: "not_found", detail: `No route ${req.method} ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey: "testsk_fake_svix_key",
    received,
    applications,
    messagesTo: (appId: string) => [...(applications.get(appId)?.messages.values() ?? [])],
    fail: (status = 500) => void (failing = status),
    recover: () => void (failing = null),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
