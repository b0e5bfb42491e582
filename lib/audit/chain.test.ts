import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, schema, transaction } from "@/lib/db";
import { runWithRequestContext } from "@/lib/observability/request-context";
import { deleteExpiredAuditEvents, pseudonymiseAuditActor, pseudonymFor } from "./maintenance";
import { recordAudit, rowsOf, type AuditEventInput } from "./record";
import { verifyAuditChains } from "./verify";

const { auditEvents } = schema;
const usingPostgres = Boolean(process.env.DATABASE_URL);

const event = (teamId: string | null, overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
  teamId,
  actor: { type: "user", id: "user-ann", label: "Ann Cook" },
  action: "recipe.created",
  target: { type: "recipe", id: randomUUID() },
  metadata: { title: "Lentil soup" },
  ...overrides,
});

const rowsOfTeam = (teamId: string) =>
  db.select().from(auditEvents).where(eq(auditEvents.organizationId, teamId)).orderBy(auditEvents.id);

/** What the database answers to a statement: "done", or its error message. */
const attempt = (work: Promise<unknown>) =>
  work.then(
    () => "done",
    (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
  );

/** A chain the verifier should accept, in a fresh team of its own. */
async function chainOf(count: number) {
  const teamId = `team-${randomUUID()}`;
  for (let i = 0; i < count; i++) await recordAudit(db, event(teamId, { metadata: { n: i } }));
  return { teamId, rows: await rowsOfTeam(teamId) };
}

/** Runs `work` with the trigger off, as a superuser with database access could (the tests connect as one). */
async function asAnAttacker(work: () => Promise<unknown>) {
  await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
  try {
    await work();
  } finally {
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
  }
}

const brokenIn = async (teamId: string) =>
  (await verifyAuditChains(db)).broken.filter((link) => link.teamId === teamId);

describe("recording an event", () => {
  it("writes the actor, target, request context and a link to the chain's previous row", async () => {
    const teamId = `team-${randomUUID()}`;
    await runWithRequestContext({ requestId: "req-audit-1" }, () => recordAudit(db, event(teamId)));
    await recordAudit(
      db,
      event(teamId, { context: { requestId: "req-audit-2", ip: "203.0.113.9", userAgent: "curl" } }),
    );
    const [first, second] = await rowsOfTeam(teamId);
    expect(first).toMatchObject({
      actorType: "user",
      actorId: "user-ann",
      actorLabel: "Ann Cook",
      action: "recipe.created",
      targetType: "recipe",
      requestId: "req-audit-1",
      // The test stand-in for next/headers: Vitest's user agent, X-Forwarded-For untrusted (TRUST_PROXY unset).
      userAgent: "vitest",
      prevHash: null,
    });
    expect(second).toMatchObject({
      requestId: "req-audit-2",
      ip: "203.0.113.9",
      userAgent: "curl",
      prevHash: first!.hash,
    });
  });

  it("leaves nothing when the change's transaction rolls back", async () => {
    const teamId = `team-${randomUUID()}`;
    const failed = transaction(db, async (tx) => {
      await recordAudit(tx, event(teamId));
      throw new Error("the change failed");
    });
    await expect(failed).rejects.toThrow("the change failed");
    expect(await rowsOfTeam(teamId)).toEqual([]);
  });

  it("keeps account-level events (no team) in a chain of their own", async () => {
    const before = await db
      .select()
      .from(auditEvents)
      .where(sql`organization_id is null`);
    await recordAudit(db, event(null, { action: "account.signed_in", target: undefined }));
    const after = await db
      .select()
      .from(auditEvents)
      .where(sql`organization_id is null`)
      .orderBy(auditEvents.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)!.prevHash).toBe(before.length ? after.at(-2)!.hash : null);
  });
});

describe("the database keeps the log append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    const { rows } = await chainOf(2);
    const id = rows[0]!.id;
    expect(
      await attempt(db.update(auditEvents).set({ action: "recipe.deleted" }).where(eq(auditEvents.id, id))),
    ).toMatch(/append-only/);
    expect(await attempt(db.delete(auditEvents).where(eq(auditEvents.id, id)))).toMatch(/append-only/);
    expect(await attempt(db.execute(sql`truncate audit_events`))).toMatch(/append-only/);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.id, id))).toHaveLength(1);
  });

  it("lets retention delete only rows past the window it names", async () => {
    const { teamId, rows } = await chainOf(3);
    // A retention window of one day: nothing recorded just now is past it.
    expect(await deleteExpiredAuditEvents(db, 1, 100)).toBe(0);
    // Naming the window does not let a DELETE take a recent row.
    const sneaky = transaction(db, async (tx) => {
      await tx.execute(sql`select set_config('audit.retention_days', '1', true)`);
      await tx.delete(auditEvents).where(eq(auditEvents.id, rows[2]!.id));
    });
    expect(await attempt(sneaky)).toMatch(/append-only/);
    // Rows a day and a half old (as if time had passed), with the chain's first rows, go.
    await asAnAttacker(() =>
      db.execute(
        sql`update audit_events set occurred_at = occurred_at - interval '36 hours' where id = ${rows[0]!.id}`,
      ),
    );
    expect(await attempt(deleteExpiredAuditEvents(db, 1, 100))).toBe("done");
    expect((await rowsOfTeam(teamId)).map((row) => row.id)).toEqual([rows[1]!.id, rows[2]!.id]);
  });

  it("lets pseudonymisation change only the words, under the user's id", async () => {
    const { rows } = await chainOf(1);
    const sneaky = transaction(db, async (tx) => {
      await tx.execute(sql`select set_config('audit.pseudonymise', 'user-ann', true)`);
      await tx
        .update(auditEvents)
        .set({ action: "recipe.deleted", personalSalt: null })
        .where(eq(auditEvents.id, rows[0]!.id));
    });
    expect(await attempt(sneaky)).toMatch(/append-only/);
  });
});

describe("npm run audit:verify", () => {
  it("passes a clean log", async () => {
    const { teamId } = await chainOf(4);
    expect(await brokenIn(teamId)).toEqual([]);
  });

  it("names a row changed behind the trigger's back", async () => {
    const { teamId, rows } = await chainOf(4);
    await asAnAttacker(() =>
      db
        .update(auditEvents)
        .set({ metadata: { n: 99 } })
        .where(eq(auditEvents.id, rows[1]!.id)),
    );
    expect(await brokenIn(teamId)).toEqual([{ id: rows[1]!.id, teamId, reason: "personal-digest" }]);
  });

  it("names the row after one rewritten with its hash recomputed", async () => {
    const { teamId, rows } = await chainOf(4);
    const { rowHash } = await import("./chain");
    const forged = { ...rows[1]!, action: "recipe.published" };
    await asAnAttacker(() =>
      db
        .update(auditEvents)
        .set({ action: forged.action, hash: rowHash(forged) })
        .where(eq(auditEvents.id, rows[1]!.id)),
    );
    expect(await brokenIn(teamId)).toEqual([{ id: rows[2]!.id, teamId, reason: "prev-hash" }]);
  });

  it("names the row after one deleted from the middle", async () => {
    const { teamId, rows } = await chainOf(4);
    await asAnAttacker(() => db.delete(auditEvents).where(eq(auditEvents.id, rows[1]!.id)));
    expect(await brokenIn(teamId)).toEqual([{ id: rows[2]!.id, teamId, reason: "prev-hash" }]);
  });

  it("accepts a chain whose oldest rows retention removed", async () => {
    const { teamId, rows } = await chainOf(3);
    await asAnAttacker(() => db.delete(auditEvents).where(eq(auditEvents.id, rows[0]!.id)));
    expect(await brokenIn(teamId)).toEqual([]);
  });

  it("still passes once a deleted user's name is replaced by a pseudonym", async () => {
    const teamId = `team-${randomUUID()}`;
    const gone = {
      id: `user-${randomUUID()}`,
      name: "Gus Gone",
      email: `gus-${randomUUID().slice(0, 8)}@example.test`,
    };
    await recordAudit(db, event(teamId, { actor: { type: "user", id: gone.id, label: gone.name } }));
    await recordAudit(
      db,
      event(teamId, { action: "team.member_invited", metadata: { email: gone.email, role: "member" } }),
    );
    await transaction(db, (tx) => pseudonymiseAuditActor(tx, gone));
    const [acted, invited] = await rowsOfTeam(teamId);
    expect(acted).toMatchObject({ actorLabel: pseudonymFor(gone.id), actorId: gone.id, personalSalt: null });
    expect(invited!.metadata).toEqual({ email: pseudonymFor(gone.id), role: "member" });
    expect(JSON.stringify(await rowsOfTeam(teamId))).not.toContain(gone.email);
    expect(await brokenIn(teamId)).toEqual([]);
  });
});

describe("concurrent writers", () => {
  // On PostgreSQL the pool runs them at once and the chain's lock orders them; the embedded database runs one at a time.
  it(`keep one valid chain: 50 events on one team at once (${usingPostgres ? "PostgreSQL" : "PGlite, serial"})`, async () => {
    const teamId = `team-${randomUUID()}`;
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        transaction(db, (tx) => recordAudit(tx, event(teamId, { metadata: { n } }))),
      ),
    );
    const rows = await rowsOfTeam(teamId);
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(50);
    expect(await brokenIn(teamId)).toEqual([]);
  });
});

it("rowsOf reads both drivers' results", async () => {
  expect(rowsOf<{ one: number }>(await db.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
});
