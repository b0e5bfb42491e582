/**
 * A stand-in for the app's server process in the restart test (lib/webhooks-out/restart.test.ts),
 * run in a child process so it can be killed for real: `serve` queues every undispatched message's
 * dispatch job as the app does after a commit (fan-out, then deliveries in their lanes), and runs
 * until killed; `recover` is the restarted server: it sweeps until nothing is left to send, then
 * exits. The database is DATABASE_URL's, or the embedded one in PGLITE_DATA_DIR.
 */
import { eq, isNull } from "drizzle-orm";
import { closeDatabase, db, schema } from "@/lib/db";
import { enqueue } from "@/lib/jobs";
import { dispatchMessageJob, sweepWebhookDeliveries } from "@/lib/webhooks-out";

const mode = process.argv[2];

async function leftToSend() {
  const [undispatched] = await db
    .select({ id: schema.webhookMessages.id })
    .from(schema.webhookMessages)
    .where(isNull(schema.webhookMessages.dispatchedAt))
    .limit(1);
  const [pending] = await db
    .select({ id: schema.webhookAttempts.id })
    .from(schema.webhookAttempts)
    .where(eq(schema.webhookAttempts.status, "pending"))
    .limit(1);
  return Boolean(undispatched || pending);
}

if (mode === "serve") {
  const messages = await db
    .select({ id: schema.webhookMessages.id })
    .from(schema.webhookMessages)
    .where(isNull(schema.webhookMessages.dispatchedAt))
    .orderBy(schema.webhookMessages.createdAt);
  for (const { id } of messages) await enqueue(dispatchMessageJob, { messageId: id });
  console.log(`serving ${messages.length}`);
  // Until killed: the jobs run on this process's event loop.
  setInterval(() => {}, 1_000);
} else if (mode === "recover") {
  // A restarted server's sweeps: the first minute's grace (and dead workers' locks) are behind it.
  for (let round = 0; round < 200 && (await leftToSend()); round++) {
    await sweepWebhookDeliveries(db, { now: new Date(Date.now() + 2 * 60_000) });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(`recovered ${(await leftToSend()) ? "incompletely" : "everything"}`);
  await closeDatabase();
  process.exit(0);
} else {
  console.error("usage: webhook-worker.ts serve|recover");
  process.exit(2);
}
