/**
 * (a) Two instances on one PostgreSQL, behind no proxy: one limit for both, a change made through
 * one reaches a stream held by the other, and a burst split across both is processed once.
 */
import { sampleEvent, sampleSubscription, simulatedId } from "@/lib/dev-tools/stripe-events";
import { instanceEnv, Instance, waitFor, type Database } from "./cluster";
import { processingReport, sweepUntilProcessed, type ProcessingReport } from "./checks";
import { burst, deliver, emptyBurstReport, openEventStream, sendContact, signedStripeEvent, signUp } from "./traffic";

export type TwoInstancesResult = {
  contact: { senders: number; sentEach: number; acceptedEach: number[]; limit: number };
  realtime: { deliveredToOtherInstance: boolean; latencyMs: number };
  webhooks: { sent: number; accepted: number } & ProcessingReport;
};

const SENDERS = 3;
const MESSAGES_EACH = 20;
const LIMIT = 10;
const EVENTS = 300;

export async function twoInstances(db: Database, ports: [number, number]): Promise<TwoInstancesResult> {
  const [a, b] = ports.map((port, i) => new Instance(i ? "B" : "A", port, instanceEnv(db.url, port)));
  const instances = [a!, b!];
  try {
    await Promise.all(instances.map((instance) => instance.start()));

    // One sender's messages, alternating between the instances: the limit counts them together.
    const acceptedEach: number[] = [];
    for (let s = 0; s < SENDERS; s++) {
      const sender = `sender-${s}-${Date.now()}@example.com`;
      let accepted = 0;
      for (let i = 0; i < MESSAGES_EACH; i++)
        if ((await sendContact(instances[i % 2]!.base, sender)) === 200) accepted++;
      acceptedEach.push(accepted);
    }
    if (acceptedEach.some((count) => count !== LIMIT))
      throw new Error(`contact: ${acceptedEach.join(", ")} accepted per sender, expected ${LIMIT} each`);

    // A user's stream on A hears a change made through B (its Stripe webhook, processed on B).
    const user = await signUp(b!.base);
    const stream = openEventStream(a!.base, user.cookie);
    await stream.ready();
    const subscription = sampleSubscription({
      id: simulatedId("sub"),
      customerId: simulatedId("cus"),
      teamId: user.teamId,
      status: "active",
    });
    const event = sampleEvent("customer.subscription.created", subscription);
    const sentAt = Date.now();
    const delivered = await deliver(b!.base, { eventId: event.id, payload: JSON.stringify(event) });
    if (delivered.kind !== "answered" || delivered.status !== 200) throw new Error("the webhook to B was not accepted");
    await waitFor(
      "plan.changed on A's stream",
      () => stream.events.some((e) => e.event === "plan.changed" && JSON.parse(e.data).plan === "pro"),
      15_000,
      20,
    );
    const latencyMs = Date.now() - sentAt;
    stream.close();

    // A burst split across both: each event processed once, by whichever instance took it.
    const events = Array.from({ length: EVENTS }, () => signedStripeEvent());
    const sent = emptyBurstReport();
    await burst(events, () => instances, sent);
    // The in-process jobs do the work; the sweep only catches what they might have left.
    await waitFor(
      "the burst's jobs",
      async () => (await processingReport(db, sent.acceptedIds, instances)).processed === sent.accepted,
      60_000,
      500,
    ).catch(() => null);
    const { report } = await sweepUntilProcessed(db, sent.acceptedIds, instances, () => a!);
    if (report.processed !== sent.accepted || report.duplicates || report.missing)
      throw new Error(`webhooks: ${JSON.stringify(report)}`);

    return {
      contact: { senders: SENDERS, sentEach: MESSAGES_EACH, acceptedEach, limit: LIMIT },
      realtime: { deliveredToOtherInstance: true, latencyMs },
      webhooks: { sent: sent.sent, ...report },
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}
