import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";

/**
 * A real HTTP server that receives the app's webhooks the way a customer's would: it verifies
 * every delivery with a Standard Webhooks library (`standardwebhooks`, or Svix's `svix`, which
 * reads the same signature under `svix-*` header names) against the secrets it holds, dedupes by
 * `webhook-id` and counts. `respond` decides each answer (default 204); "hang" never answers.
 */
export type Arrival = {
  id: string;
  type: string;
  body: string;
  headers: IncomingMessage["headers"];
  verified: boolean;
  at: number;
};

export type ReceiverAnswer =
  | { status: number; body?: string; headers?: Record<string, string>; /** Answer this much later. */ delayMs?: number }
  | "hang";

export async function startReceiver({
  secrets = () => [],
  library = "standardwebhooks",
  respond = () => ({ status: 204 }),
}: {
  /** The secrets it accepts (any one verifying is enough), read at each arrival. */
  secrets?: () => string[];
  library?: "standardwebhooks" | "svix";
  /** The answer to the n-th arrival (1-based). */
  respond?: (n: number, arrival: Arrival) => ReceiverAnswer;
} = {}) {
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => (inFlight -= 1));
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const verified = secrets().some((secret) => verify(library, secret, body, req.headers));
      let type = "";
      try {
        type = (JSON.parse(body) as { type?: string }).type ?? "";
      } catch {
        // Not JSON: recorded as it came.
      }
      const arrival: Arrival = {
        id: String(req.headers["webhook-id"] ?? ""),
        type,
        body,
        headers: req.headers,
        verified,
        at: performance.now(),
      };
      arrivals.push(arrival);
      const answer = respond(arrivals.length, arrival);
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      const send = () => {
        res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
        res.end(answer.body ?? "");
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    arrivals,
    /** Arrivals per webhook-id. */
    countsById: () => {
      const counts = new Map<string, number>();
      for (const { id } of arrivals) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
    uniqueIds: () => new Set(arrivals.map((a) => a.id)),
    maxInFlight: () => maxInFlight,
    /** Stops listening and drops every open connection (hanging ones too), as a server that died. */
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function verify(
  library: "standardwebhooks" | "svix",
  secret: string,
  body: string,
  headers: IncomingMessage["headers"],
) {
  const id = String(headers["webhook-id"] ?? "");
  const timestamp = String(headers["webhook-timestamp"] ?? "");
  const signature = String(headers["webhook-signature"] ?? "");
  try {
    if (library === "svix")
      new SvixWebhook(secret).verify(body, { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature });
    else
      new StandardWebhook(secret).verify(body, {
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature,
      });
    return true;
  } catch {
    return false;
  }
}
