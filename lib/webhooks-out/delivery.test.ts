import { and, eq } from "drizzle-orm";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, schema, transaction } from "@/lib/db";
import { createRecipe, deleteRecipe, setRecipePublished, updateRecipe } from "@/lib/recipes";
import { addMember, removeMember } from "@/lib/teams";
import { announceSubscriptionWebhook, recordWebhookMessage } from "./outbox";
import { listDeliveries, replayMessage, rotateEndpointSecret, sendTestEvent, updateEndpoint } from "./endpoints";
import { ENDPOINT_MAX_IN_FLIGHT } from "./deliver";
import { sweepWebhookDeliveries } from "./sweep";
import { MAX_ATTEMPTS, retryDelayMs } from "./retry";
import { postWebhook, RESPONSE_BODY_LIMIT } from "./transport";
import { signUpTestUser } from "@/tests/support/users";
import { startReceiver, type Receiver } from "@/tests/support/webhook-receivers";
import { addEndpoint, attemptsOf, drainJobs, endpointRow, makeDue, webhookTeam } from "@/tests/support/webhooks-out";

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

const receivers: Receiver[] = [];
async function receiver(options: Parameters<typeof startReceiver>[0] = {}) {
  const started = await startReceiver(options);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const soup = { title: "Lentil soup", description: "Warm.", ingredients: ["lentils"], steps: ["Simmer."] };

describe("every change is delivered, signed as Standard Webhooks say", () => {
  it("a receiver verifying with `standardwebhooks` and one verifying with `svix` both accept every event type", async () => {
    const { team, owner, admin, cook, asAdmin } = await webhookTeam();
    let secrets: { standard: string[]; svix: string[] } = { standard: [], svix: [] };
    const standard = await receiver({ library: "standardwebhooks", secrets: () => secrets.standard });
    const svix = await receiver({ library: "svix", secrets: () => secrets.svix });
    const a = await addEndpoint(asAdmin, { url: standard.url });
    const b = await addEndpoint(asAdmin, { url: svix.url });
    secrets = { standard: [a.secret], svix: [b.secret] };

    const actor = { teamId: team.id, userId: owner.id };
    const recipe = await createRecipe(db, actor, soup);
    await updateRecipe(db, actor, recipe.id, { ...soup, title: "Red lentil soup" });
    await setRecipePublished(db, actor, recipe.id, true);
    await setRecipePublished(db, actor, recipe.id, false);
    await deleteRecipe(db, actor, recipe.id);
    const newcomer = await signUpTestUser("New Cook");
    const joined = await addMember(db, team.id, newcomer.id, "member");
    await removeMember(db, { teamId: team.id, actorId: admin.id, memberId: joined!.id });
    await transaction(db, async (tx, afterCommit) => {
      await tx
        .update(schema.subscriptions)
        .set({ quantity: 3 })
        .where(eq(schema.subscriptions.organizationId, team.id));
      await announceSubscriptionWebhook(tx, afterCommit, `sub_${team.id}`);
    });
    await drainJobs();

    const types = [
      "recipe.created",
      "recipe.updated",
      "recipe.published",
      "recipe.unpublished",
      "recipe.deleted",
      "member.added",
      "member.removed",
      "subscription.updated",
    ];
    for (const got of [standard, svix]) {
      expect(got.arrivals.map((arrival) => arrival.type).sort()).toEqual([...types].sort());
      expect(got.arrivals.every((arrival) => arrival.verified)).toBe(true);
    }
    const messages = await db
      .select()
      .from(schema.webhookMessages)
      .where(eq(schema.webhookMessages.organizationId, team.id));
    expect(new Set(standard.arrivals.map((x) => x.id))).toEqual(new Set(messages.map((m) => m.id)));
    expect(new Set(svix.arrivals.map((x) => x.id))).toEqual(new Set(messages.map((m) => m.id)));

    const published = JSON.parse(standard.arrivals.find((x) => x.type === "recipe.published")!.body);
    expect(published).toEqual({
      type: "recipe.published",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: expect.objectContaining({ id: recipe.id, team_id: team.id, title: "Red lentil soup", published: true }),
    });
    const added = JSON.parse(svix.arrivals.find((x) => x.type === "member.added")!.body);
    expect(added.data).toEqual({
      team_id: team.id,
      user_id: newcomer.id,
      name: "New Cook",
      email: newcomer.email,
      role: "member",
    });
    const subscription = JSON.parse(svix.arrivals.find((x) => x.type === "subscription.updated")!.body);
    expect(subscription.data).toMatchObject({
      team_id: team.id,
      plan: "pro",
      subscription: { quantity: 3, status: "active" },
    });
    expect(standard.arrivals[0]!.headers["content-type"]).toBe("application/json");
    void cook;
  });

  it("sends each endpoint only the types it asked for, and nothing to a team without endpoints", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    const got = await receiver();
    await addEndpoint(asAdmin, { url: got.url, event_types: ["recipe.published"] });
    const recipe = await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await setRecipePublished(db, { teamId: team.id, userId: owner.id }, recipe.id, true);
    await drainJobs();
    expect(got.arrivals.map((x) => x.type)).toEqual(["recipe.published"]);
    const written = await db.$count(schema.webhookMessages, eq(schema.webhookMessages.organizationId, team.id));
    // recipe.created found no endpoint that wants it: not even a message was written.
    expect(written).toBe(1);

    const lonely = await signUpTestUser("Lonely Cook");
    await createRecipe(db, { teamId: lonely.teamId, userId: lonely.id }, soup);
    expect(await db.$count(schema.webhookMessages, eq(schema.webhookMessages.organizationId, lonely.teamId))).toBe(0);
  });
});

describe("a rolled-back change sends nothing", () => {
  it("a message written in a transaction that rolls back never exists, so no job or sweep sends it", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    const got = await receiver();
    await addEndpoint(asAdmin, { url: got.url });

    await expect(
      transaction(db, async (tx, afterCommit) => {
        await recordWebhookMessage(tx, afterCommit, team.id, "recipe.created", {} as never);
        throw new Error("the change failed after announcing");
      }),
    ).rejects.toThrow("the change failed");
    // A recipe written inside an outer transaction that then fails: its own (nested) commit ran its
    // afterCommit, so the dispatch job is queued, but the message rolled back with the outer one.
    await expect(
      db.transaction(async (outer) => {
        await createRecipe(outer, { teamId: team.id, userId: owner.id }, soup);
        throw new Error("outer rollback");
      }),
    ).rejects.toThrow("outer rollback");
    expect(await drainJobs()).toBeGreaterThan(0);

    await db
      .update(schema.webhookMessages)
      .set({ createdAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(schema.webhookMessages.organizationId, team.id));
    await sweepWebhookDeliveries(db);
    await drainJobs();
    expect(await db.$count(schema.webhookMessages, eq(schema.webhookMessages.organizationId, team.id))).toBe(0);
    expect(got.arrivals).toEqual([]);
  });
});

describe("retries", () => {
  it("a receiver that fails twice then succeeds gets the same webhook-id three times, on the schedule", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    let secret = "";
    const got = await receiver({
      secrets: () => [secret],
      respond: (n) => ({ status: n <= 2 ? 500 : 200, body: `try ${n}` }),
    });
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    secret = endpoint.secret;

    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    const [first, second] = await attemptsOf(endpoint.id);
    expect(first).toMatchObject({ attempt: 1, status: "failed", responseStatus: 500, responseBody: "try 1" });
    // The schedule's second step: 5 s, with ±20 % jitter.
    const wait2 = second!.nextAttemptAt.getTime() - first!.attemptedAt!.getTime();
    expect(wait2).toBeGreaterThanOrEqual(4_000);
    expect(wait2).toBeLessThanOrEqual(6_000);

    await makeDue([endpoint.id]);
    await sweepWebhookDeliveries(db);
    await drainJobs();
    const third = (await attemptsOf(endpoint.id))[2]!;
    const wait3 = third.nextAttemptAt.getTime() - (await attemptsOf(endpoint.id))[1]!.attemptedAt!.getTime();
    expect(wait3).toBeGreaterThanOrEqual(4 * 60_000);
    expect(wait3).toBeLessThanOrEqual(6 * 60_000);

    await makeDue([endpoint.id]);
    await sweepWebhookDeliveries(db);
    await drainJobs();
    expect((await attemptsOf(endpoint.id)).map((a) => [a.attempt, a.status, a.responseStatus])).toEqual([
      [1, "failed", 500],
      [2, "failed", 500],
      [3, "succeeded", 200],
    ]);
    expect(got.arrivals).toHaveLength(3);
    expect(new Set(got.arrivals.map((x) => x.id)).size).toBe(1);
    expect(got.arrivals.every((x) => x.verified)).toBe(true);
    // Each try is signed with its own timestamp; the id never changes.
    expect((await endpointRow(endpoint.id)).failingSince).toBeNull();
  });

  it("honours Retry-After within bounds, and follows the schedule to its end", () => {
    const now = Date.UTC(2026, 11, 1);
    const fixed = () => 0.5; // no jitter
    expect([2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, null, now, fixed))).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(retryDelayMs(2, "120", now, fixed)).toBe(120_000);
    expect(retryDelayMs(2, new Date(now + 90_000).toUTCString(), now, fixed)).toBe(90_000);
    // Never sooner than the schedule, never later than its longest step.
    expect(retryDelayMs(4, "1", now, fixed)).toBe(1_800_000);
    expect(retryDelayMs(2, "9999999", now, fixed)).toBe(36_000_000);
    expect(retryDelayMs(2, "soon", now, fixed)).toBe(5_000);
    for (const n of [2, 3, 4]) {
      expect(retryDelayMs(n, null, now, () => 0)).toBe(retryDelayMs(n, null, now, fixed) * 0.8);
      expect(retryDelayMs(n, null, now, () => 1)).toBe(retryDelayMs(n, null, now, fixed) * 1.2);
    }
  });

  it("an answer's Retry-After moves the next try back", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    const got = await receiver({ respond: () => ({ status: 429, headers: { "retry-after": "600" } }) });
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    const [first, second] = await attemptsOf(endpoint.id);
    expect(second!.nextAttemptAt.getTime() - first!.attemptedAt!.getTime()).toBeGreaterThanOrEqual(600_000);
  });

  it("after the eighth failure a message is exhausted: listed as such, and a replay sends it again with the same id", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    let healthy = false;
    const got = await receiver({ respond: () => ({ status: healthy ? 200 : 503 }) });
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    // As if six more tries had failed: the waiting one is the last on the schedule.
    await db
      .update(schema.webhookAttempts)
      .set({ attempt: MAX_ATTEMPTS })
      .where(and(eq(schema.webhookAttempts.endpointId, endpoint.id), eq(schema.webhookAttempts.status, "pending")));
    await makeDue([endpoint.id]);
    await sweepWebhookDeliveries(db);
    await drainJobs();
    const exhausted = await listDeliveries(db, asAdmin, endpoint.id, { status: "exhausted" });
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ attempt: MAX_ATTEMPTS, responseStatus: 503, type: "recipe.created" });
    expect((await attemptsOf(endpoint.id)).filter((a) => a.status === "pending")).toEqual([]);

    healthy = true;
    await replayMessage(db, asAdmin, endpoint.id, exhausted[0]!.messageId);
    await expect(replayMessage(db, asAdmin, endpoint.id, exhausted[0]!.messageId)).rejects.toMatchObject({
      reason: "webhook-attempt-pending",
    });
    await drainJobs();
    const latest = (await listDeliveries(db, asAdmin, endpoint.id))[0]!;
    expect(latest).toMatchObject({ attempt: MAX_ATTEMPTS + 1, replay: true, status: "succeeded", responseStatus: 200 });
    expect(new Set(got.arrivals.map((x) => x.id))).toEqual(new Set([exhausted[0]!.messageId]));
    // Filter by type.
    expect(await listDeliveries(db, asAdmin, endpoint.id, { type: "member.added" })).toEqual([]);
  });
});

describe("endpoints that go away", () => {
  it("410 Gone turns the endpoint off at once, with no retry, and tells the team's owners and admins", async () => {
    const { team, owner, admin, cook, asAdmin } = await webhookTeam();
    const got = await receiver({ respond: () => ({ status: 410 }) });
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    expect(await endpointRow(endpoint.id)).toMatchObject({ enabled: false, disabledReason: "gone" });
    expect((await attemptsOf(endpoint.id)).map((a) => a.status)).toEqual(["exhausted"]);
    const told = await db
      .select({ to: schema.emails.to })
      .from(schema.emails)
      .where(eq(schema.emails.template, "webhook-endpoint-disabled"));
    expect(
      told
        .map((e) => e.to)
        .filter((to) => [owner.email, admin.email, cook.email].includes(to))
        .sort(),
    ).toEqual([owner.email, admin.email].sort());
    // Off means off: the next change is not even written for it.
    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    expect(got.arrivals).toHaveLength(1);

    // Turned back on, it gets the next change.
    const back = await updateEndpoint(db, asAdmin, endpoint.id, { enabled: true });
    expect(back).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it("an endpoint failing for five days is turned off and its team's admins are emailed", async () => {
    const { team, owner, admin, asAdmin } = await webhookTeam();
    const got = await receiver({ respond: () => ({ status: 500 }) });
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    expect(await endpointRow(endpoint.id)).toMatchObject({ enabled: true, failingSince: expect.any(Date) });
    // Four days in: still on.
    await db
      .update(schema.webhookEndpoints)
      .set({ failingSince: new Date(Date.now() - 4 * 86_400_000) })
      .where(eq(schema.webhookEndpoints.id, endpoint.id));
    await makeDue([endpoint.id]);
    await sweepWebhookDeliveries(db);
    await drainJobs();
    expect((await endpointRow(endpoint.id)).enabled).toBe(true);
    // Five days and a bit: the next failure turns it off.
    await db
      .update(schema.webhookEndpoints)
      .set({ failingSince: new Date(Date.now() - 5 * 86_400_000 - 60_000) })
      .where(eq(schema.webhookEndpoints.id, endpoint.id));
    await makeDue([endpoint.id]);
    await sweepWebhookDeliveries(db);
    await drainJobs();
    expect(await endpointRow(endpoint.id)).toMatchObject({ enabled: false, disabledReason: "failing" });
    const emails = await db
      .select({ to: schema.emails.to, props: schema.emails.props })
      .from(schema.emails)
      .where(eq(schema.emails.template, "webhook-endpoint-disabled"));
    const ours = emails.filter((e) => [owner.email, admin.email].includes(e.to));
    expect(ours).toHaveLength(2);
    expect(ours[0]!.props).toMatchObject({ reason: "failing", lastError: "HTTP 500", teamName: "Hook Kitchen" });
  });
});

describe("isolation: a dead endpoint never delays a healthy one", () => {
  it("while a hanging endpoint holds its few slots, every delivery to the healthy one arrives within a bound", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    const healthy = await receiver();
    const hanging = await receiver({ respond: () => "hang" });
    await addEndpoint(asAdmin, { url: hanging.url });
    await addEndpoint(asAdmin, { url: healthy.url });
    const changes = 12;
    const actor = { teamId: team.id, userId: owner.id };
    for (let i = 0; i < changes; i++) await createRecipe(db, actor, { ...soup, title: `Soup ${i}` });

    const start = performance.now();
    const running = drainJobs();
    await expect.poll(() => healthy.arrivals.length, { timeout: 10_000, interval: 20 }).toBe(changes);
    const healthyMs = Math.max(...healthy.arrivals.map((x) => x.at)) - start;
    // The hanging endpoint holds at most its lane's slots, and has not answered one of them.
    expect(hanging.maxInFlight()).toBeLessThanOrEqual(ENDPOINT_MAX_IN_FLIGHT);
    expect(hanging.arrivals.length).toBeLessThanOrEqual(ENDPOINT_MAX_IN_FLIGHT);
    // Generous: the deliveries themselves take milliseconds; the hanging one's timeout is 15 s.
    expect(healthyMs).toBeLessThan(5_000);
    console.info(
      `[isolation] ${changes} deliveries to the healthy endpoint in ${healthyMs.toFixed(0)} ms beside a hanging one`,
    );

    // The dead endpoint goes away: its held tries fail at once and are scheduled again.
    await hanging.close();
    await running;
  });
});

describe("signatures and secrets", () => {
  it("after a rotation both secrets sign for 24 h: a receiver holding either accepts; then only the new one", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    const got = await receiver();
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    const rotated = await rotateEndpointSecret(db, asAdmin, endpoint.id);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.previous_secret_expires_at!) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);

    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    const [arrival] = got.arrivals;
    expect(String(arrival!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.secret]) {
      expect(verifies(arrival!, secret)).toBe(true);
    }

    // The overlap is over: the old secret no longer signs.
    await db
      .update(schema.webhookEndpoints)
      .set({ previousSecretExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.webhookEndpoints.id, endpoint.id));
    await createRecipe(db, { teamId: team.id, userId: owner.id }, { ...soup, title: "After" });
    await drainJobs();
    const later = got.arrivals[1]!;
    expect(verifies(later, rotated.secret)).toBe(true);
    expect(verifies(later, endpoint.secret)).toBe(false);
  });
});

describe("send test event", () => {
  it("goes to that endpoint only, even one that is off, as `webhook.test` or a chosen type's sample", async () => {
    const { asAdmin } = await webhookTeam();
    const target = await receiver();
    const other = await receiver();
    const endpoint = await addEndpoint(asAdmin, { url: target.url, event_types: ["recipe.deleted"] });
    await addEndpoint(asAdmin, { url: other.url });
    await updateEndpoint(db, asAdmin, endpoint.id, { enabled: false });

    const { message_id } = await sendTestEvent(db, asAdmin, endpoint.id);
    await sendTestEvent(db, asAdmin, endpoint.id, { type: "member.added" });
    await drainJobs();
    expect(target.arrivals.map((x) => x.type).sort()).toEqual(["member.added", "webhook.test"]);
    const test = target.arrivals.find((x) => x.type === "webhook.test")!;
    expect(test.id).toBe(message_id);
    expect(JSON.parse(test.body).data).toMatchObject({ endpoint_id: endpoint.id });
    expect(other.arrivals).toEqual([]);
  });
});

describe("what is sent and kept", () => {
  it("keeps at most 4 KiB of an answer, and never follows a redirect", async () => {
    const elsewhere = await receiver();
    const big = await receiver({ respond: () => ({ status: 200, body: "x".repeat(100_000) }) });
    const redirecting = await receiver({ respond: () => ({ status: 302, headers: { location: elsewhere.url } }) });
    const bigAnswer = await postWebhook(big.url, {}, "{}");
    expect(bigAnswer).toMatchObject({ ok: true, status: 200 });
    expect(bigAnswer.ok && bigAnswer.body.length).toBe(RESPONSE_BODY_LIMIT);
    const redirect = await postWebhook(redirecting.url, {}, "{}");
    expect(redirect).toMatchObject({ ok: true, status: 302 });
    expect(elsewhere.arrivals).toEqual([]);
  });

  it("gives up on an answer that does not come by the deadline (15 s in production)", async () => {
    const hanging = await receiver({ respond: () => "hang" });
    const started = performance.now();
    const answer = await postWebhook(hanging.url, {}, "{}", { timeoutMs: 300 });
    expect(answer).toMatchObject({ ok: false, error: "No answer within 0.3 s." });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

function verifies(arrival: { body: string; headers: Record<string, string | string[] | undefined> }, secret: string) {
  const headers = {
    "webhook-id": String(arrival.headers["webhook-id"]),
    "webhook-timestamp": String(arrival.headers["webhook-timestamp"]),
    "webhook-signature": String(arrival.headers["webhook-signature"]),
  };
  const viaStandard = (() => {
    try {
      new StandardWebhook(secret).verify(arrival.body, headers);
      return true;
    } catch {
      return false;
    }
  })();
  const viaSvix = (() => {
    try {
      new SvixWebhook(secret).verify(arrival.body, headers);
      return true;
    } catch {
      return false;
    }
  })();
  expect(viaSvix).toBe(viaStandard);
  return viaStandard;
}
