import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db as appDb, schema } from "@/lib/db";
import { createEmbeddedDatabase } from "@/lib/db/embedded";
import { startReceiver, type Receiver } from "@/tests/support/webhook-receivers";
import { createEndpoint } from "./endpoints";
import { recordWebhookMessage } from "./outbox";
import { ENDPOINT_MAX_IN_FLIGHT } from "./deliver";

/**
 * Kill the server mid-fan-out: a real child process (tests/support/webhook-worker.ts) runs the
 * app's dispatch jobs and deliveries against slow receivers and is killed with SIGKILL part-way;
 * a second one, the restarted server, sweeps. Every message must reach every endpoint, and after
 * the receivers dedupe by webhook-id, exactly once each.
 */
const root = process.cwd();
const MESSAGES = 40;
const ENDPOINTS = 3;
const children: ChildProcess[] = [];
const receivers: Receiver[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(receivers.map((r) => r.close()));
});

/** The database both the test and the child processes open: DATABASE_URL's clone, or an embedded one on disk. */
function sharedDatabase(): {
  env: Record<string, string>;
  open: () => Promise<{ db: typeof appDb; close: () => Promise<void> }>;
} {
  if (process.env.DATABASE_URL) return { env: {}, open: async () => ({ db: appDb, close: async () => {} }) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhook-restart-"));
  const dataDir = path.join(dir, "pglite");
  return {
    env: { PGLITE_DATA_DIR: dataDir },
    open: async () => {
      const embedded = createEmbeddedDatabase(dataDir);
      await embedded.ready;
      return { db: embedded.db, close: () => embedded.close() };
    },
  };
}

function worker(mode: "serve" | "recover", env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "tests/support/webhook-worker.ts"), mode],
    {
      cwd: root,
      env: {
        ...process.env,
        ...env,
        // Not "test": the embedded database must be the one on disk, not one in memory.
        NODE_ENV: "development",
        LOG_LEVEL: "silent",
        WEBHOOKS_ALLOW_PRIVATE_URLS: "1",
        TRIGGER_SECRET_KEY: "",
        SVIX_API_KEY: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("kill the server mid-fan-out", () => {
  it("every message is delivered to every endpoint after the restart, exactly once after deduping by webhook-id", async () => {
    const shared = sharedDatabase();
    const secrets: string[] = [];
    for (let i = 0; i < ENDPOINTS; i++) {
      receivers.push(
        await startReceiver({ secrets: () => [secrets[i]!], respond: () => ({ status: 200, delayMs: 60 }) }),
      );
    }

    // A team, its endpoints and MESSAGES committed changes whose fan-out has not run yet.
    let seed = await shared.open();
    const teamId = randomUUID();
    await seed.db
      .insert(schema.organization)
      .values({ id: teamId, name: "Restart Kitchen", slug: `restart-${teamId}` });
    for (const got of receivers) {
      const endpoint = await createEndpoint(seed.db, { teamId }, { url: got.url, description: "", event_types: null });
      secrets.push(endpoint.secret);
    }
    for (let i = 0; i < MESSAGES; i++)
      await seed.db.transaction((tx) =>
        recordWebhookMessage(tx, undefined, teamId, "member.added", {
          team_id: teamId,
          user_id: `u_${i}`,
          name: `Cook ${i}`,
          email: null,
          role: "member",
        }),
      );
    await seed.close();

    // The server runs the fan-out and is killed part-way through the deliveries.
    const arrived = () => receivers.reduce((sum, r) => sum + r.arrivals.length, 0);
    const serving = worker("serve", shared.env);
    await expect.poll(arrived, { timeout: 60_000, interval: 5 }).toBeGreaterThanOrEqual(12);
    serving.child.kill("SIGKILL");
    await serving.exited;
    const atKill = arrived();

    seed = await shared.open();
    const delivered = await seed.db.$count(schema.webhookAttempts, eq(schema.webhookAttempts.status, "succeeded"));
    const undispatched = await seed.db.$count(schema.webhookMessages, isNull(schema.webhookMessages.dispatchedAt));
    expect(delivered).toBeLessThan(MESSAGES * ENDPOINTS);
    // As if the dead server's locks had run out (ATTEMPT_LOCK_MS): the restarted one may take its tries over.
    await seed.db
      .update(schema.webhookAttempts)
      .set({ lockedUntil: null })
      .where(eq(schema.webhookAttempts.status, "pending"));
    await seed.close();

    const recovering = worker("recover", shared.env);
    expect(await recovering.exited, recovering.output()).toBe(0);
    expect(recovering.output()).toContain("recovered everything");

    seed = await shared.open();
    const succeeded = await seed.db
      .select({ messageId: schema.webhookAttempts.messageId, endpointId: schema.webhookAttempts.endpointId })
      .from(schema.webhookAttempts)
      .innerJoin(schema.webhookMessages, eq(schema.webhookMessages.id, schema.webhookAttempts.messageId))
      .where(and(eq(schema.webhookAttempts.status, "succeeded"), eq(schema.webhookMessages.organizationId, teamId)));
    await seed.close();
    // One successful try per message and endpoint.
    expect(succeeded).toHaveLength(MESSAGES * ENDPOINTS);
    expect(new Set(succeeded.map((s) => `${s.messageId}:${s.endpointId}`)).size).toBe(MESSAGES * ENDPOINTS);

    let duplicates = 0;
    for (const got of receivers) {
      expect(got.uniqueIds().size).toBe(MESSAGES);
      expect(got.arrivals.every((a) => a.verified)).toBe(true);
      duplicates += got.arrivals.length - got.uniqueIds().size;
    }
    // Only a try in flight when the server died can arrive twice: at most each lane's slots.
    expect(duplicates).toBeLessThanOrEqual(ENDPOINT_MAX_IN_FLIGHT * ENDPOINTS);
    console.info(
      `[restart] killed after ${atKill} of ${MESSAGES * ENDPOINTS} arrivals (${delivered} recorded, ${undispatched} messages not yet fanned out); ` +
        `after the restart every message reached every endpoint; ${duplicates} duplicate arrivals (deduped by webhook-id)`,
    );
  }, 120_000);
});
