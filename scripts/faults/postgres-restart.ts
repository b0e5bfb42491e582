/**
 * (d) The local PostgreSQL stopped and started again under two running instances with mixed
 * traffic. During the outage: /api/health 503, webhooks 5xx (the provider retries), a signed-in
 * page shows the app's error page, no instance exits. Afterwards, without restarting anything:
 * health 200 again, webhooks accepted, the stream opened before the outage hears new events
 * (the LISTEN re-subscribed, replay caught up), and every accepted event is processed once.
 */
import { chromium } from "@playwright/test";
import { sampleEvent, sampleSubscription, simulatedId } from "@/lib/dev-tools/stripe-events";
import { instanceEnv, Instance, localPostgres, sleep, waitFor, type Database } from "./cluster";
import { ageStaleLocks, processingSettled, sweepUntilProcessed, type ProcessingReport } from "./checks";
import {
  burst,
  burstCounts,
  deliver,
  emptyBurstReport,
  openEventStream,
  request,
  sendContact,
  signedStripeEvent,
  signUp,
} from "./traffic";

export type RestartResult = {
  outageSeconds: number;
  during: { health: Record<string, number>; webhooks5xx: number; errorPage: boolean; contact: Record<string, number> };
  /** Seconds from PostgreSQL accepting connections again to each check passing. */
  recovery: { health: number; webhookAccepted: number; streamEvent: number };
  events: ReturnType<typeof burstCounts>;
  processing: ProcessingReport;
  staleLocksAged: number;
  instancesExited: number;
};

const OUTAGE_MS = Number(process.env.FAULTS_OUTAGE_SECONDS ?? 8) * 1000;

export async function postgresRestart(db: Database, ports: [number, number]): Promise<RestartResult> {
  const [a, b] = ports.map((port, i) => new Instance(i ? "B" : "A", port, instanceEnv(db.url, port)));
  const instances = [a!, b!];
  let postgresStopped = false;
  try {
    await Promise.all(instances.map((instance) => instance.start()));
    const user = await signUp(a!.base);
    const stream = openEventStream(a!.base, user.cookie);
    await stream.ready();

    // Mixed traffic for the whole run: webhooks (retried until accepted), contact messages, health checks.
    const report = emptyBurstReport();
    let running = true;
    const contact: Record<string, number> = {};
    const webhooks = (async () => {
      while (running) {
        const events = Array.from({ length: 20 }, () => signedStripeEvent());
        await burst(events, () => instances, report, { concurrency: 4, retryDelayMs: 1_000 });
      }
    })();
    const contacts = (async () => {
      for (let i = 0; running; i++) {
        const status = await sendContact(instances[i % 2]!.base, `restart-${i}@example.com`);
        contact[String(status)] = (contact[String(status)] ?? 0) + 1;
        await sleep(200);
      }
    })();
    await sleep(3_000);
    // A signed-in browser: during the outage its dashboard must be the app's error page (app/error.tsx,
    // rendered by the browser from the error the server sends), not a crash or a sign-in redirect.
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const context = await browser.newContext();
    // The session cookie and the signed-in hint, as a Cookie header ("a=1; b=2"): one browser cookie each.
    await context.addCookies(
      user.cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: a!.base };
      }),
    );
    const page = await context.newPage();

    // The outage.
    localPostgres.run("stop");
    postgresStopped = true;
    const stoppedAt = Date.now();
    const health: Record<string, number> = {};
    const fivexxBefore = report.retriedAfter5xx;
    const errorPage = page
      .goto(`${a!.base}/dashboard`)
      .then(() => page.getByRole("heading", { name: "Something went wrong" }).waitFor({ timeout: OUTAGE_MS }))
      .then(
        () => true,
        () => false,
      );
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      for (const instance of instances) {
        const outcome = await request(instance.base, "/api/health");
        const key = outcome.kind === "answered" ? String(outcome.status) : outcome.kind;
        health[key] = (health[key] ?? 0) + 1;
      }
      await sleep(500);
    }
    const during = {
      health,
      webhooks5xx: report.retriedAfter5xx - fivexxBefore,
      errorPage: await errorPage,
      contact: { ...contact },
    };
    await browser.close();
    localPostgres.run("start");
    postgresStopped = false;
    await waitFor("PostgreSQL to accept connections", () => localPostgres.accepting(), 60_000, 100);
    const backAt = Date.now();
    const outageSeconds = (backAt - stoppedAt) / 1000;

    await waitFor(
      "every instance's /api/health to answer 200",
      async () => {
        for (const instance of instances) {
          const outcome = await request(instance.base, "/api/health");
          if (outcome.kind !== "answered" || outcome.status !== 200) return false;
        }
        return true;
      },
      60_000,
      100,
    );
    const healthSeconds = (Date.now() - backAt) / 1000;
    await waitFor(
      "a webhook to be accepted",
      async () => {
        const outcome = await deliver(b!.base, signedStripeEvent());
        return outcome.kind === "answered" && outcome.status === 200;
      },
      60_000,
      100,
    );
    const webhookSeconds = (Date.now() - backAt) / 1000;
    // A change made now, through B, reaches the stream A opened before the outage.
    const event = sampleEvent(
      "customer.subscription.created",
      sampleSubscription({
        id: simulatedId("sub"),
        customerId: simulatedId("cus"),
        teamId: user.teamId,
        status: "active",
      }),
    );
    await waitFor(
      "the plan change to be accepted",
      async () => {
        const outcome = await deliver(b!.base, { eventId: event.id, payload: JSON.stringify(event) });
        return outcome.kind === "answered" && outcome.status === 200;
      },
      30_000,
      200,
    );
    await waitFor(
      "plan.changed on the stream opened before the outage",
      () => stream.events.some((e) => e.event === "plan.changed" && JSON.parse(e.data).plan === "pro"),
      60_000,
      50,
    );
    const streamSeconds = (Date.now() - backAt) / 1000;

    await sleep(3_000);
    running = false;
    await Promise.all([webhooks, contacts]);
    stream.close();
    const instancesExited = instances.filter((instance) => !instance.running).length;
    if (instancesExited) throw new Error(`${instancesExited} instance(s) exited during the outage`);

    // A job that had claimed its event when the database went away could record nothing: its lock goes stale.
    await processingSettled(db);
    const staleLocksAged = await ageStaleLocks(db);
    const { report: processing } = await sweepUntilProcessed(db, report.acceptedIds, instances, () => a!);
    if (processing.processed !== report.accepted || processing.duplicates || processing.missing)
      throw new Error(`processing: ${JSON.stringify(processing)}`);
    if (!during.errorPage) throw new Error("the dashboard did not show the app's error page during the outage");
    if (!health["503"] || Object.keys(health).some((status) => status !== "503"))
      throw new Error(`/api/health during the outage: ${JSON.stringify(health)}`);

    return {
      outageSeconds,
      during,
      recovery: { health: healthSeconds, webhookAccepted: webhookSeconds, streamEvent: streamSeconds },
      events: burstCounts(report),
      processing,
      staleLocksAged,
      instancesExited,
    };
  } finally {
    if (postgresStopped) localPostgres.run("start");
    await waitFor("PostgreSQL to accept connections", () => localPostgres.accepting(), 60_000, 200);
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}
