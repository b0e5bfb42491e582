import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for api.stripe.com on 127.0.0.1, for the real Stripe SDK
 * (`createStripeClient(key, { host, port, protocol: "http" })`). It records
 * every request with its form-encoded body decoded, and answers the routes a
 * test sets up; any other route gets Stripe's own 404 error shape.
 */
export type ReceivedStripeRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The form body flattened the way Stripe encodes it: `line_items[0][price]`, `metadata[userId]`… */
  form: Record<string, string>;
};

/** `drop` closes the connection without an answer, as an unreachable API would. */
export type FakeStripeReply = { status: number; body: unknown } | "drop";
type Route = (request: ReceivedStripeRequest) => FakeStripeReply;

export const stripeErrorBody = (type: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { type, message, ...extra },
});

export function createFakeStripeApi() {
  const received: ReceivedStripeRequest[] = [];
  const routes = new Map<string, Route>();
  let listening: Promise<number> | undefined;

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake-stripe");
      const request: ReceivedStripeRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(raw)),
      };
      received.push(request);
      const route = routes.get(`${request.method} ${request.path}`);
      const reply = route
        ? route(request)
        : {
            status: 404,
            body: stripeErrorBody(
              "invalid_request_error",
              `Unrecognized request URL (${request.method}: ${request.path}).`,
            ),
          };
      if (reply === "drop") {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { "content-type": "application/json", "request-id": `req_fake${received.length}` });
      res.end(JSON.stringify(reply.body));
    });
  });

  return {
    received,
    /** The requests made to one route, oldest first. */
    requestsTo: (method: string, path: string) => received.filter((r) => r.method === method && r.path === path),
    /** Answers `method path` (e.g. "POST", "/v1/customers") with `route`'s reply from now on. */
    route: (method: string, path: string, route: Route) => void routes.set(`${method} ${path}`, route),
    /** Starts listening once; resolves to the port. */
    listen: () =>
      (listening ??= new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
      )),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeStripeApi = ReturnType<typeof createFakeStripeApi>;

/** One fake per test file: the `@/lib/stripe` mock and the test share it through this module. */
export const fakeStripeApi = createFakeStripeApi();

/**
 * For `vi.mock("@/lib/billing/stripe", async (importOriginal) => (await import("@/tests/support/fake-stripe")).mockStripeModule(importOriginal))`: the real module's
 * factory, but the client talks to `fakeStripeApi` over HTTP as if
 * STRIPE_SECRET_KEY were set.
 */
export async function mockStripeModule(importOriginal: () => Promise<unknown>) {
  const original = (await importOriginal()) as typeof import("@/lib/billing/stripe");
  const port = await fakeStripeApi.listen();
  return {
    ...original,
    billingConfigured: true,
    stripe: original.createStripeClient("sk_test_fake_api", { host: "127.0.0.1", port, protocol: "http" }),
  };
}
