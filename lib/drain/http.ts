import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { isDraining } from "./state";

type RequestStart = { request: IncomingMessage; response: ServerResponse; server: Server };

// On globalThis, like the draining flag: one set of servers however often this module is bundled.
const shared = globalThis as unknown as { __httpServers?: Set<Server>; __watchingHttpServers?: boolean };
const servers = (shared.__httpServers ??= new Set());

/**
 * `next start` creates its HTTP server before the app's code runs and hands it to nobody, so the
 * server is learned from Node's `http.server.request.start` diagnostics channel (the one the
 * request log uses): every request names the server that took it. A health check or any request
 * makes it known long before a shutdown. During a drain, every answer also asks the client to
 * close the connection, so kept-alive connections do not bring more requests to this instance.
 */
export function watchHttpServers(): void {
  if (shared.__watchingHttpServers) return;
  shared.__watchingHttpServers = true;
  subscribe("http.server.request.start", (message) => {
    const { server, response } = message as RequestStart;
    servers.add(server);
    if (isDraining()) response.shouldKeepAlive = false;
  });
}

const closing = new WeakMap<Server, Promise<void>>();

/**
 * Stops the server taking connections (new ones are refused, so a load balancer or client goes to
 * another instance) and resolves once every connection it had has ended. Idle kept-alive
 * connections are closed as soon as they are idle, instead of after the keep-alive timeout.
 */
export function closeServer(server: Server): Promise<void> {
  let closed = closing.get(server);
  if (!closed) {
    closed = new Promise<void>((resolve) => {
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearInterval(idle);
        resolve();
      });
    });
    closing.set(server, closed);
  }
  return closed;
}

/** The HTTP servers requests have arrived on (one under `next start`). */
export function knownHttpServers(): Server[] {
  return [...servers];
}
