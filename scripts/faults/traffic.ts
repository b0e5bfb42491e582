/**
 * What the fault tests send, and how each answer is classified. Every request goes over a
 * connection of its own to 127.0.0.1 (as each provider delivery does), so a connection the server
 * refused (it stopped taking connections) is told apart from a request it took and never
 * answered: the first is resent elsewhere, as a load balancer does; the second must never happen.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import Stripe from "stripe";
import { cronSecret, sleep, waitFor, webhookSecret, type Instance } from "./cluster";

const stripe = new Stripe("sk_test_faults_signing_only");

export type Outcome =
  | { kind: "answered"; status: number; body: string; headers: http.IncomingHttpHeaders }
  /** The connection was refused: the request never reached the app. */
  | { kind: "refused" }
  /** The connection was taken and then lost before an answer (reset, hang-up, timeout). */
  | { kind: "dropped"; error: string };

export function request(
  base: string,
  path: string,
  {
    method = "GET",
    headers = {},
    body,
    timeoutMs = 30_000,
  }: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ kind: "answered", status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on("error", (error) => resolve({ kind: "dropped", error: error.message }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer in time")));
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "dropped", error: error.code ?? error.message },
      ),
    );
    req.end(body);
  });
}

/** A new Stripe event, signed: a subscription update for a customer the app does not know (stored, then processed). */
export function signedStripeEvent(eventId = `evt_faults_${randomUUID()}`) {
  const payload = JSON.stringify({
    id: eventId,
    object: "event",
    type: "customer.subscription.updated",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: Stripe.API_VERSION,
    data: {
      object: {
        id: "sub_faults",
        object: "subscription",
        customer: "cus_faults_unknown",
        status: "active",
        metadata: {},
        items: { data: [] },
      },
    },
  });
  return { eventId, payload };
}

export type Delivery = { eventId: string; payload: string };

/** POSTs one delivery, signed now (as a provider signs each attempt); `requestId` finds it in the instances' logs. */
export function deliver(base: string, { payload }: Delivery, requestId = `faults-${randomUUID()}`) {
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
  return request(base, "/api/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature, "x-request-id": requestId },
    body: payload,
  });
}

/**
 * What a load balancer does in front of the instances: it checks each one's /api/health every
 * `everyMs` and sends requests only to those that answer 200; an instance that refuses a
 * connection is taken out at once, until its health check passes again.
 */
export class Balancer {
  private readonly up = new Set<Instance>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly instances: Instance[],
    private readonly everyMs = 250,
  ) {
    for (const instance of instances) this.up.add(instance);
  }

  start() {
    const check = async () => {
      await Promise.all(
        this.instances.map(async (instance) => {
          const outcome = await request(instance.base, "/api/health", { timeoutMs: 2_000 });
          if (outcome.kind === "answered" && outcome.status === 200) this.up.add(instance);
          else this.up.delete(instance);
        }),
      );
      if (this.timer) this.timer = setTimeout(check, this.everyMs);
    };
    this.timer = setTimeout(check, this.everyMs);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  healthy = (): Instance[] => this.instances.filter((instance) => this.up.has(instance));

  takeOut = (instance: Instance) => this.up.delete(instance);
}

/** What happened to a burst of deliveries, as a provider that retries (and a balancer that resends) sees it. */
export type BurstReport = {
  sent: number;
  accepted: number;
  /** Refused connections, resent to another instance. */
  refusedThenResent: number;
  /** 5xx answers (database down), retried later as the provider does. */
  retriedAfter5xx: number;
  /** Taken and never answered: the provider would retry, but it must not happen on a drain. */
  dropped: number;
  droppedErrors: string[];
  /** The x-request-id of each dropped request, to tell (from the logs) whether the app had read it. */
  droppedRequestIds: string[];
  acceptedIds: Set<string>;
};

/** The counts of a burst, for a report (the ids and error texts stay out). */
export function burstCounts(report: BurstReport) {
  const { sent, accepted, refusedThenResent, retriedAfter5xx, dropped } = report;
  return { sent, accepted, refusedThenResent, retriedAfter5xx, dropped };
}

export function emptyBurstReport(): BurstReport {
  return {
    sent: 0,
    accepted: 0,
    refusedThenResent: 0,
    retriedAfter5xx: 0,
    dropped: 0,
    droppedErrors: [],
    droppedRequestIds: [],
    acceptedIds: new Set(),
  };
}

/**
 * Delivers every event until it is accepted (a 200): the i-th goes first to `targets()[i %
 * n]`; a refused connection is resent at once to the next live instance, a 5xx or a dropped
 * request is retried after `retryDelayMs`, as Stripe retries. `concurrency` deliveries at a time;
 * `onSent(i)` runs after each first attempt (to trigger a fault mid-burst).
 */
export async function burst(
  events: Delivery[],
  targets: () => Instance[],
  report: BurstReport,
  {
    concurrency = 16,
    retryDelayMs = 500,
    onSent,
    onRefused,
  }: {
    concurrency?: number;
    retryDelayMs?: number;
    onSent?: (i: number) => void;
    /** An instance refused a connection (a balancer takes it out). */
    onRefused?: (instance: Instance) => void;
  } = {},
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const i = next++;
      const event = events[i]!;
      report.sent += 1;
      for (let attempt = 0; ; attempt++) {
        const live = targets();
        if (!live.length) {
          await sleep(retryDelayMs);
          continue;
        }
        const target = live[(i + attempt) % live.length]!;
        const requestId = `faults-${event.eventId}-${attempt}`;
        const outcome = await deliver(target.base, event, requestId);
        if (attempt === 0) onSent?.(i);
        if (outcome.kind === "answered" && outcome.status === 200) {
          report.accepted += 1;
          report.acceptedIds.add(event.eventId);
          break;
        }
        if (outcome.kind === "refused") {
          report.refusedThenResent += 1;
          onRefused?.(target);
          // Every instance refused in turn (one restarting): wait a little before the next round.
          if ((attempt + 1) % live.length === 0) await sleep(retryDelayMs);
          continue;
        }
        if (outcome.kind === "dropped") {
          report.dropped += 1;
          report.droppedErrors.push(`${target.name}: ${outcome.error}`);
          report.droppedRequestIds.push(requestId);
        } else if (outcome.status >= 500) report.retriedAfter5xx += 1;
        else throw new Error(`delivery answered ${outcome.status}: ${outcome.body.slice(0, 200)}`);
        await sleep(retryDelayMs);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Runs the scheduled sweep on `instance` (as Render's cron job does): its counts. */
export async function sweep(instance: Instance) {
  const outcome = await request(instance.base, "/api/cron/sweep", {
    headers: { authorization: `Bearer ${cronSecret}` },
    timeoutMs: 120_000,
  });
  if (outcome.kind !== "answered" || outcome.status !== 200)
    throw new Error(`sweep on ${instance.name}: ${outcome.kind === "answered" ? outcome.status : outcome.kind}`);
  return JSON.parse(outcome.body) as { webhookEvents: { picked: number; processed: number } };
}

/** A contact message from `sender`: its status. */
export async function sendContact(base: string, sender: string) {
  const outcome = await request(base, "/api/contact", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "Fault Test",
      email: sender,
      subject: "Many instances",
      message: "One limit for all of them.",
    }),
  });
  return outcome.kind === "answered" ? outcome.status : outcome.kind;
}

/**
 * A new user, signed up and then signed in with the password through Better Auth on `base`
 * (sign-up never signs in: the emailed link does): their id and session cookie, valid on every
 * instance, which share the secret and the database.
 */
export async function signUp(base: string) {
  const tag = randomUUID().slice(0, 8);
  const credentials = { email: `faults-${tag}@example.com`, password: `faults-${tag}-password` };
  const post = (path: string, body: object) =>
    request(base, path, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify(body),
    });
  const describe = (outcome: Outcome) =>
    outcome.kind === "answered" ? `${outcome.status} ${outcome.body.slice(0, 200)}` : outcome.kind;
  const signedUp = await post("/api/auth/sign-up/email", { name: `Faults ${tag}`, ...credentials });
  if (signedUp.kind !== "answered" || signedUp.status !== 200) throw new Error(`sign-up: ${describe(signedUp)}`);
  const signedIn = await post("/api/auth/sign-in/email", credentials);
  if (signedIn.kind !== "answered" || signedIn.status !== 200) throw new Error(`sign-in: ${describe(signedIn)}`);
  const { user } = JSON.parse(signedIn.body) as { user: { id: string } };
  const cookie = (signedIn.headers["set-cookie"] ?? []).map((value) => value.split(";")[0]).join("; ");
  // The personal team every account gets: the export names it (subscriptions and plans belong to teams).
  const exported = await request(base, "/api/account/export", { headers: { cookie } });
  if (exported.kind !== "answered" || exported.status !== 200) throw new Error(`export: ${describe(exported)}`);
  const { memberships } = JSON.parse(exported.body) as { memberships: { teamId: string; personal: boolean }[] };
  const teamId = memberships.find((membership) => membership.personal)?.teamId;
  if (!teamId) throw new Error("the new account has no personal team");
  return { id: user.id, email: credentials.email, cookie, teamId };
}

export type StreamEvent = { id?: string; event: string; data: string };

/**
 * An open GET /api/events, parsed as EventSource does; `closed` resolves when the server ends
 * it, with every `retry:` it sent (one with `ready`, one more when a shutdown ended it).
 */
export function openEventStream(base: string, cookie: string, lastEventId?: string) {
  const events: StreamEvent[] = [];
  const retries: number[] = [];
  let status: number | undefined;
  let resolveClosed!: (value: { retries: number[]; status?: number }) => void;
  const closed = new Promise<{ retries: number[]; status?: number }>((resolve) => (resolveClosed = resolve));
  const headers: Record<string, string> = { cookie, accept: "text/event-stream" };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const req = http.get(`${base}/api/events`, { headers, agent: false }, (res) => {
    status = res.statusCode;
    let buffer = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: StreamEvent = { event: "message", data: "" };
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
          else if (field === "data") event.data = value;
          else if (field === "retry") retries.push(Number(value));
        }
        if (event.id !== undefined || event.data) events.push(event);
      }
    });
    res.on("end", () => resolveClosed({ retries, status }));
    res.on("error", () => resolveClosed({ retries, status }));
  });
  req.on("error", () => resolveClosed({ retries, status }));
  const lastId = () => [...events].reverse().find((event) => event.id)?.id;
  /** Resolves once the stream's `ready` event arrived; throws with what the server answered otherwise. */
  const ready = () =>
    waitFor(
      "the event stream's ready event",
      () => {
        if (status !== undefined && status !== 200) throw new Error(`GET /api/events answered ${status}`);
        return events.some((event) => event.event === "ready");
      },
      15_000,
      20,
    );
  return { events, closed, lastId, ready, close: () => req.destroy(), status: () => status };
}
