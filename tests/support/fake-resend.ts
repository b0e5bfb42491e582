import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedEmail = { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };

/**
 * A local stand-in for the Resend API (`POST /emails`), for the real SDK
 * pointed at it with RESEND_BASE_URL. It records every request and can be told
 * to fail, as Resend does, with a JSON error and a status code.
 */
export async function startFakeResend() {
  const received: ReceivedEmail[] = [];
  let failing: { status: number; message: string } | null = null;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(raw || "{}") });
      res.setHeader("content-type", "application/json");
      if (failing) {
        res.statusCode = failing.status;
        res.end(JSON.stringify({ statusCode: failing.status, name: "application_error", message: failing.message }));
        return;
      }
      res.end(JSON.stringify({ id: `re_fake_${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    sends: () => received.filter((request) => request.path === "/emails"),
    fail: (status = 500, message = "Internal server error") => {
      failing = { status, message };
    },
    recover: () => {
      failing = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
