import type { LookupFunction } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyRetention } from "@/lib/cron";
import { db, schema, transaction } from "@/lib/db";
import { createRecipe } from "@/lib/recipes";
import { setEnv } from "@/tests/support/env";
import { startFakeSvix } from "@/tests/support/fake-svix";
import { signUpTestUser } from "@/tests/support/users";
import { startReceiver, type Receiver } from "@/tests/support/webhook-receivers";
import { addEndpoint, attemptsOf, drainJobs, webhookTeam } from "@/tests/support/webhooks-out";
import { deliverAttempt } from "./deliver";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  MAX_ENDPOINTS_PER_TEAM,
  rotateEndpointSecret,
  sendTestEvent,
  updateEndpoint,
} from "./endpoints";
import { fanOutMessage } from "./fan-out";
import { recordWebhookMessage } from "./outbox";
import { endpointForm, webhookEndpointCreate } from "./schema";
import { svixPortalUrl } from "./svix";
import { sweepWebhookDeliveries } from "./sweep";
import { postWebhook } from "./transport";

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

const soup = { title: "Lentil soup", description: "", ingredients: ["lentils"], steps: ["Simmer."] };
const outcome = (work: Promise<unknown>) =>
  work.then(
    () => "allowed",
    (error: { kind?: string }) => error.kind ?? String(error),
  );

describe("managing endpoints", () => {
  it("owners and admins manage them; members are forbidden; other teams see none", async () => {
    const { team, owner, admin, cook, asAdmin } = await webhookTeam();
    const stranger = await signUpTestUser("Stranger");
    const input = { url: "https://hooks.example.com/in", description: "", event_types: null };

    expect(await outcome(createEndpoint(db, { teamId: team.id, userId: cook.id }, input))).toBe("forbidden");
    expect(await outcome(createEndpoint(db, { teamId: team.id, userId: stranger.id }, input))).toBe("not-found");
    const made = await createEndpoint(db, { teamId: team.id, userId: owner.id }, input);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    for (const who of [cook.id, stranger.id]) {
      const actor = { teamId: team.id, userId: who };
      expect(await outcome(listEndpoints(db, actor))).not.toBe("allowed");
      expect(await outcome(getEndpoint(db, actor, made.id))).not.toBe("allowed");
      expect(await outcome(updateEndpoint(db, actor, made.id, { description: "mine" }))).not.toBe("allowed");
      expect(await outcome(rotateEndpointSecret(db, actor, made.id))).not.toBe("allowed");
      expect(await outcome(sendTestEvent(db, actor, made.id))).not.toBe("allowed");
      expect(await outcome(deleteEndpoint(db, actor, made.id))).not.toBe("allowed");
    }
    // Another team's id looks like no endpoint at all.
    expect(await outcome(getEndpoint(db, { teamId: stranger.teamId, userId: stranger.id }, made.id))).toBe("not-found");

    const listed = await listEndpoints(db, asAdmin);
    expect(listed).toEqual([
      expect.objectContaining({ id: made.id, url: input.url, enabled: true, event_types: null }),
    ]);
    // The secret is in the create answer only.
    expect(JSON.stringify(listed)).not.toContain(made.secret);
    expect(JSON.stringify(await getEndpoint(db, asAdmin, made.id))).not.toContain("whsec_");

    const changed = await updateEndpoint(db, asAdmin, made.id, {
      description: "Orders",
      event_types: ["recipe.published"],
      enabled: false,
    });
    expect(changed).toMatchObject({
      description: "Orders",
      event_types: ["recipe.published"],
      enabled: false,
      disabled_reason: "manual",
    });
    await deleteEndpoint(db, asAdmin, made.id);
    expect(await listEndpoints(db, asAdmin)).toEqual([]);
    expect(await outcome(deleteEndpoint(db, asAdmin, made.id))).toBe("not-found");
    void admin;
  });

  it("the public API's path (no user: the route checked the key's scope) works on the key's team only", async () => {
    const { team } = await webhookTeam();
    const other = await signUpTestUser("Other");
    const made = await createEndpoint(
      db,
      { teamId: team.id },
      { url: "https://a.example.com/", description: "", event_types: null },
    );
    expect(await listEndpoints(db, { teamId: team.id })).toHaveLength(1);
    expect(await outcome(getEndpoint(db, { teamId: other.teamId }, made.id))).toBe("not-found");
    expect(await outcome(deleteEndpoint(db, { teamId: other.teamId }, made.id))).toBe("not-found");
  });

  it(`holds at most ${MAX_ENDPOINTS_PER_TEAM} endpoints per team`, async () => {
    const { asAdmin } = await webhookTeam();
    for (let i = 0; i < MAX_ENDPOINTS_PER_TEAM; i++) await addEndpoint(asAdmin, { url: `https://h${i}.example.com/` });
    await expect(addEndpoint(asAdmin, { url: "https://one-more.example.com/" })).rejects.toMatchObject({
      kind: "limit-reached",
      reason: "webhook-endpoint-limit",
    });
  });

  it("validates URLs and event types with field errors", () => {
    const errors = (input: unknown) => {
      const parsed = webhookEndpointCreate.safeParse(input);
      return parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    };
    expect(errors({ url: "https://example.com/hooks?x=1" })).toBeNull();
    expect(errors({ url: "ftp://example.com/" })).toEqual([
      "url: Only http:// and https:// URLs can receive webhooks.",
    ]);
    expect(errors({ url: "https://user:pw@example.com/" })).toEqual([
      "url: Leave the user name and password out of the URL.",
    ]);
    expect(errors({ url: "not a url" })).toEqual(["url: Enter a full URL, such as https://example.com/webhooks."]);
    expect(errors({ url: "https://example.com/", event_types: [] })).toHaveLength(1);
    expect(errors({ url: "https://example.com/", event_types: ["recipe.eaten"] })).toHaveLength(1);

    const form = (fields: Record<string, string>) => endpointForm.safeParse({ teamId: "t1", ...fields });
    expect(
      form({ url: "https://example.com/", "event:recipe.created": "on", "event:member.added": "on" }),
    ).toMatchObject({
      success: true,
      data: { endpoint: { event_types: ["recipe.created", "member.added"] } },
    });
    expect(form({ url: "https://example.com/", allEvents: "on" })).toMatchObject({
      success: true,
      data: { endpoint: { event_types: null } },
    });
    expect(form({ url: "https://example.com/" }).success).toBe(false);
  });
});

describe("SSRF: where webhooks may go", () => {
  const production = () =>
    setEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "a-production-secret-for-this-test-only-0123456789",
      WEBHOOKS_ALLOW_PRIVATE_URLS: undefined,
    });

  it("in production, a URL plainly inside a network is refused when it is saved", async () => {
    const { asAdmin } = await webhookTeam();
    production();
    for (const url of [
      "http://127.0.0.1:8080/",
      "http://localhost/hooks",
      "http://[::1]/",
      "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/",
      "http://172.20.0.1/",
      "http://192.168.1.10/",
      "http://100.64.0.1/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://metadata.google.internal/",
      "http://printer.local/",
    ])
      await expect(addEndpoint(asAdmin, { url }), url).rejects.toMatchObject({
        reason: "webhook-url-private",
        field: "url",
      });
    expect(await addEndpoint(asAdmin, { url: "https://hooks.example.com/" })).toMatchObject({ enabled: true });
  });

  it("in production, the address is checked when the connection is made: a name resolving to 127.0.0.1 is refused, so is localhost", async () => {
    const { team, asAdmin } = await webhookTeam();
    const got = await receiver();
    // Saved while private addresses were allowed (or its DNS changed since): both point at the local receiver.
    const rebinding = await addEndpoint(asAdmin, { url: `http://hooks.rebind.example:${got.port}/in` });
    const local = await addEndpoint(asAdmin, { url: `http://localhost:${got.port}/in` });
    production();
    // A resolver that answers 127.0.0.1 for the name, as a DNS rebinding attacker's would.
    const resolves127: LookupFunction = (_host, options, callback) => {
      const cb = callback as (...args: unknown[]) => void;
      if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
      else cb(null, "127.0.0.1", 4);
    };

    await transaction(db, async (tx, afterCommit) => {
      await recordWebhookMessage(tx, afterCommit, team.id, "recipe.created", {} as never);
    });
    const [message] = await db
      .select()
      .from(schema.webhookMessages)
      .where(eq(schema.webhookMessages.organizationId, team.id));
    const attempts = await fanOutMessage(db, message!.id);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) await deliverAttempt(db, attempt.attemptId, { post: { lookup: resolves127 } });
    expect(got.arrivals).toEqual([]);
    for (const endpoint of [rebinding, local]) {
      const [first] = await attemptsOf(endpoint.id);
      expect(first).toMatchObject({ status: "failed", responseStatus: null });
      expect(first!.error).toMatch(/^Refused: the URL leads to a private, loopback/);
      expect(first!.error).not.toContain("127.0.0.1");
    }
    await drainJobs();
  });

  it("the connection check refuses every private range, IPv6 included, and lets public addresses through to connect", async () => {
    for (const address of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.0.1",
      "169.254.169.254",
      "100.64.1.1",
      "0.0.0.0",
      "::1",
      "fd12::1",
      "fe80::1",
      "::ffff:7f00:1",
    ]) {
      const lookup: LookupFunction = (_h, options, cb) =>
        (options as { all?: boolean }).all
          ? (cb as (...a: unknown[]) => void)(null, [{ address, family: address.includes(":") ? 6 : 4 }])
          : (cb as (...a: unknown[]) => void)(null, address, address.includes(":") ? 6 : 4);
      const answer = await postWebhook("http://victim.example/", {}, "{}", {
        allowPrivate: false,
        lookup,
        timeoutMs: 2_000,
      });
      expect(answer, address).toMatchObject({ ok: false, refusedAddress: true });
      const literal = address.includes(":") ? `[${address}]` : address;
      expect(
        await postWebhook(`http://${literal}/`, {}, "{}", { allowPrivate: false, timeoutMs: 2_000 }),
        literal,
      ).toMatchObject({
        ok: false,
        refusedAddress: true,
      });
    }
    // Allowed (development, tests, WEBHOOKS_ALLOW_PRIVATE_URLS=1): the local receiver answers.
    const got = await receiver();
    expect(await postWebhook(got.url, {}, "{}", { allowPrivate: true })).toMatchObject({ ok: true, status: 204 });
  });
});

describe("the sweeper picks up what a lost job left", () => {
  it("a message whose dispatch job never ran is fanned out and delivered by the next sweep", async () => {
    const { team, asAdmin } = await webhookTeam();
    const got = await receiver();
    await addEndpoint(asAdmin, { url: got.url });
    // No afterCommit: as if the server stopped right after the commit, before queueing the job.
    const id = await transaction(db, (tx) =>
      recordWebhookMessage(tx, undefined, team.id, "recipe.created", {} as never),
    );
    // Within its first minute a message is its job's: the sweeper leaves it alone.
    expect(await sweepWebhookDeliveries(db)).toMatchObject({ messagesDispatched: 0 });
    const twoMinutesOn = new Date(Date.now() + 2 * 60_000);
    expect(await sweepWebhookDeliveries(db, { now: twoMinutesOn })).toMatchObject({ messagesDispatched: 1 });
    await drainJobs();
    expect(got.arrivals.map((x) => x.id)).toEqual([id]);
    // Swept again: nothing left to do, nothing sent twice.
    expect(await sweepWebhookDeliveries(db, { now: twoMinutesOn })).toMatchObject({ messagesDispatched: 0 });
    await drainJobs();
    expect(got.arrivals).toHaveLength(1);
  });
});

describe("retention", () => {
  it("deletes messages and their tries after 30 days, and keeps younger ones", async () => {
    const { team, owner, asAdmin } = await webhookTeam();
    const got = await receiver();
    const endpoint = await addEndpoint(asAdmin, { url: got.url });
    await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await createRecipe(db, { teamId: team.id, userId: owner.id }, { ...soup, title: "Second" });
    await drainJobs();
    const [old] = await db
      .select()
      .from(schema.webhookMessages)
      .where(eq(schema.webhookMessages.organizationId, team.id));
    await db
      .update(schema.webhookMessages)
      .set({ createdAt: new Date(Date.now() - 31 * 86_400_000) })
      .where(eq(schema.webhookMessages.id, old!.id));
    const result = await applyRetention(db);
    expect(result.outboundWebhookMessagesDeleted).toBeGreaterThanOrEqual(1);
    const left = await db
      .select()
      .from(schema.webhookMessages)
      .where(eq(schema.webhookMessages.organizationId, team.id));
    expect(left.map((m) => m.id)).not.toContain(old!.id);
    expect(left).toHaveLength(1);
    expect((await attemptsOf(endpoint.id)).map((a) => a.messageId)).toEqual([left[0]!.id]);
  });
});

describe("with SVIX_API_KEY: Svix delivers", () => {
  let svix: Awaited<ReturnType<typeof startFakeSvix>>;
  beforeAll(async () => {
    svix = await startFakeSvix();
  });
  afterAll(() => svix.close());
  const onSvix = () => setEnv({ SVIX_API_KEY: svix.apiKey, SVIX_SERVER_URL: svix.url });

  it("hands every message to the team's Svix application, with the message id as idempotency key and event id", async () => {
    const { team, owner } = await webhookTeam();
    onSvix();
    const recipe = await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
    await drainJobs();
    const [message] = await db
      .select()
      .from(schema.webhookMessages)
      .where(eq(schema.webhookMessages.organizationId, team.id));
    expect(message).toMatchObject({ type: "recipe.created", dispatchedAt: expect.any(Date) });
    const sent = svix.received.filter((r) => r.path === `/api/v1/app/${team.id}/msg`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers["idempotency-key"]).toBe(message!.id);
    expect(sent[0]!.body).toMatchObject({
      eventType: "recipe.created",
      eventId: message!.id,
      payload: { type: "recipe.created", data: { id: recipe.id, team_id: team.id } },
      application: { uid: team.id, name: "Hook Kitchen" },
    });
    // The same message again (a retried job, a sweep after a lost answer) is one message at Svix.
    await db
      .update(schema.webhookMessages)
      .set({ dispatchedAt: null })
      .where(eq(schema.webhookMessages.id, message!.id));
    await fanOutMessage(db, message!.id);
    expect(svix.messagesTo(team.id)).toHaveLength(1);
  });

  it("Svix down: the message stays undispatched and the sweeper hands it over once Svix answers", async () => {
    const { team, owner } = await webhookTeam();
    onSvix();
    svix.fail(503);
    try {
      await createRecipe(db, { teamId: team.id, userId: owner.id }, soup);
      await drainJobs();
    } finally {
      svix.recover();
    }
    const [message] = await db
      .select()
      .from(schema.webhookMessages)
      .where(eq(schema.webhookMessages.organizationId, team.id));
    expect(message!.dispatchedAt).toBeNull();
    expect(svix.messagesTo(team.id)).toEqual([]);
    await db
      .update(schema.webhookMessages)
      .set({ createdAt: new Date(Date.now() - 2 * 60_000) })
      .where(eq(schema.webhookMessages.id, message!.id));
    expect(await sweepWebhookDeliveries(db)).toMatchObject({ messagesDispatched: 1 });
    expect(svix.messagesTo(team.id)).toHaveLength(1);
  });

  it("links the team's app portal, and leaves endpoint management to it", async () => {
    const { team, asAdmin } = await webhookTeam();
    onSvix();
    expect(await svixPortalUrl({ id: team.id, name: "Hook Kitchen" })).toBe(
      `https://app.svix.example/login#key=portal-${team.id}`,
    );
    await expect(addEndpoint(asAdmin, { url: "https://hooks.example.com/" })).rejects.toMatchObject({
      kind: "conflict",
      reason: "webhooks-on-svix",
    });
  });
});
