import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { changeEmailAction } from "@/app/account/actions";
import { revokeApiKey } from "@/lib/api";
import { auth } from "@/lib/auth";
import { deleteAccount, revokeOtherSessions } from "@/lib/account";
import { db, schema, transaction, type Executor } from "@/lib/db";
import type { AuditEventRow, WebhookEvent } from "@/lib/db/schema";
import { sampleEvent, sampleSubscription, signedStripeDelivery, simulatedId } from "@/lib/dev-tools/stripe-events";
import { runWithRequestContext } from "@/lib/observability/request-context";
import { createRecipe, deleteRecipe, setRecipePublished } from "@/lib/recipes";
import {
  acceptInvitation,
  addMember,
  changeMemberRole,
  createTeam,
  inviteMember,
  removeMember,
  transferOwnership,
} from "@/lib/teams";
import { disableEndpoint } from "@/lib/webhooks-out/deliver";
import { stripeHandlers } from "@/lib/webhooks/providers/stripe";
import { createEndpoint, rotateEndpointSecret, updateEndpoint } from "@/lib/webhooks-out";
import { apiClient, makeApiKey } from "@/tests/support/api-client";
import { form } from "@/tests/support/form";
import { cookieJar, headers } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { makePro, signInOnAnotherDevice, signUpTestUser } from "@/tests/support/users";
import { auditActions, type AuditAction } from "./catalog";
import { pseudonymFor } from "./maintenance";
import { verifyAuditChains } from "./verify";

const { auditEvents, member } = schema;

type Cook = Awaited<ReturnType<typeof signUpTestUser>>;

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

const recipe = { title: "Lentil soup", description: "", ingredients: ["lentils"], steps: ["Simmer."] };
const labelOf = (cook: Cook, name: string) => `${name} <${cook.email}>`;

/** The change as one request with this id, as the server's request hook makes every request. */
const asRequest = <T>(requestId: string, work: () => Promise<T>) => runWithRequestContext({ requestId }, work);

/** The events of one action (in one team, or the account chain), optionally about one target. */
function eventsOf(action: AuditAction, teamId: string | null, targetId?: string): Promise<AuditEventRow[]> {
  const conditions: SQL[] = [eq(auditEvents.action, action)];
  conditions.push(teamId === null ? isNull(auditEvents.organizationId) : eq(auditEvents.organizationId, teamId));
  if (targetId) conditions.push(eq(auditEvents.targetId, targetId));
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id));
}

async function exactlyOne(action: AuditAction, teamId: string | null, targetId?: string): Promise<AuditEventRow> {
  const rows = await eventsOf(action, teamId, targetId);
  expect(rows, `${action} recorded once`).toHaveLength(1);
  return rows[0]!;
}

/** Runs `change` in a transaction that then fails: the change and its event both roll back. */
async function rolledBack(change: (tx: Executor) => Promise<unknown>) {
  const failure = new Error("the rest of the change failed");
  await expect(
    db.transaction(async (tx) => {
      await change(tx);
      throw failure;
    }),
  ).rejects.toBe(failure);
}

const covered = new Set<AuditAction>();
const expectEvent = (row: AuditEventRow, expected: Partial<AuditEventRow>) => {
  covered.add(row.action as AuditAction);
  expect(row).toMatchObject(expected);
};

/** A Pro team with an owner and an admin, both confirmed. */
async function kitchen() {
  const owner = await signUpTestUser("Olive Owner");
  const admin = await signUpTestUser("Ada Admin");
  const team = await createTeam(db, { name: "Audit Kitchen", ownerId: owner.id });
  await makePro(team.id);
  await addMember(db, team.id, admin.id, "admin");
  return { team, owner, admin };
}

describe("recipes", () => {
  it("created, published and deleted: one event each, the member as actor, the recipe as target", async () => {
    const { team, owner } = await kitchen();
    const actor = { teamId: team.id, userId: owner.id };
    const made = await asRequest("req-recipe-1", () => createRecipe(db, actor, recipe));
    expectEvent(await exactlyOne("recipe.created", team.id, made.id), {
      actorType: "user",
      actorId: owner.id,
      actorLabel: labelOf(owner, "Olive Owner"),
      targetType: "recipe",
      requestId: "req-recipe-1",
      metadata: { title: "Lentil soup" },
    });
    await asRequest("req-recipe-2", () => setRecipePublished(db, actor, made.id, true));
    expectEvent(await exactlyOne("recipe.published", team.id, made.id), {
      actorId: owner.id,
      requestId: "req-recipe-2",
    });
    // Unpublishing is not in the catalog.
    await setRecipePublished(db, actor, made.id, false);
    await asRequest("req-recipe-3", () => deleteRecipe(db, actor, made.id));
    expectEvent(await exactlyOne("recipe.deleted", team.id, made.id), { actorId: owner.id, requestId: "req-recipe-3" });
    expect(await eventsOf("recipe.published", team.id, made.id)).toHaveLength(1);
  });

  it("through the public API, the key is the actor, with the request's id", async () => {
    const { team, owner } = await kitchen();
    const { id: keyId, key } = await makeApiKey({ teamId: team.id, userId: owner.id }, { name: "Kitchen sync" });
    const { data, response } = await apiClient(key).POST("/recipes", {
      body: recipe,
      headers: { "x-request-id": "req-api-recipe" },
    });
    expect(response.status).toBe(201);
    expectEvent(await exactlyOne("recipe.created", team.id, data!.id), {
      actorType: "api_key",
      actorId: keyId,
      actorLabel: "Kitchen sync",
      requestId: "req-api-recipe",
    });
  });

  it("leaves no event when the change rolls back", async () => {
    const { team, owner } = await kitchen();
    let id = "";
    await rolledBack(async (tx) => (id = (await createRecipe(tx, { teamId: team.id, userId: owner.id }, recipe)).id));
    expect(await eventsOf("recipe.created", team.id, id)).toEqual([]);
  });
});

describe("teams", () => {
  it("created, invited, joined, role changed, ownership transferred, removed", async () => {
    const owner = await signUpTestUser("Olive Owner");
    const team = await asRequest("req-team-1", () => createTeam(db, { name: "Bakery", ownerId: owner.id }));
    expectEvent(await exactlyOne("team.created", team.id), {
      actorId: owner.id,
      targetType: "team",
      targetId: team.id,
      requestId: "req-team-1",
      metadata: { name: "Bakery", personal: false },
    });
    await makePro(team.id);

    const joiner = await signUpTestUser("Jo Joiner");
    const invitation = await asRequest("req-team-2", () =>
      inviteMember(db, { teamId: team.id, inviterId: owner.id, email: joiner.email, role: "member" }),
    );
    const invited = await exactlyOne("team.member_invited", team.id);
    expectEvent(invited, {
      actorId: owner.id,
      targetType: "invitation",
      requestId: "req-team-2",
      metadata: { email: joiner.email, role: "member" },
    });
    // The invitation's id is its link's secret: the log names it by a digest.
    expect(JSON.stringify(invited)).not.toContain(invitation.id);

    await asRequest("req-team-3", () => acceptInvitation(db, invitation.id, joiner.id));
    expectEvent(await exactlyOne("team.member_joined", team.id, joiner.id), {
      actorId: joiner.id,
      actorLabel: labelOf(joiner, "Jo Joiner"),
      targetType: "user",
      requestId: "req-team-3",
      metadata: { role: "member", invitation: invited.targetId },
    });

    const [seat] = await db
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.organizationId, team.id), eq(member.userId, joiner.id)));
    await asRequest("req-team-4", () =>
      changeMemberRole(db, { teamId: team.id, actorId: owner.id, memberId: seat!.id, role: "admin" }),
    );
    expectEvent(await exactlyOne("team.member_role_changed", team.id, joiner.id), {
      actorId: owner.id,
      requestId: "req-team-4",
      metadata: { from: "member", to: "admin" },
    });

    await asRequest("req-team-5", () =>
      transferOwnership(db, { teamId: team.id, ownerId: owner.id, memberId: seat!.id }),
    );
    expectEvent(await exactlyOne("team.ownership_transferred", team.id, joiner.id), {
      actorId: owner.id,
      requestId: "req-team-5",
    });
    // The transfer is one event, not two role changes.
    expect(await eventsOf("team.member_role_changed", team.id)).toHaveLength(1);

    const [ownerSeat] = await db
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.organizationId, team.id), eq(member.userId, owner.id)));
    await asRequest("req-team-6", () =>
      removeMember(db, { teamId: team.id, actorId: joiner.id, memberId: ownerSeat!.id }),
    );
    expectEvent(await exactlyOne("team.member_removed", team.id, owner.id), {
      actorId: joiner.id,
      requestId: "req-team-6",
      metadata: { role: "admin", left: false },
    });
  });

  it("leaves no event when the change rolls back", async () => {
    const owner = await signUpTestUser("Olive Owner");
    let teamId = "";
    await rolledBack(async (tx) => (teamId = (await createTeam(tx, { name: "Ghost", ownerId: owner.id })).id));
    expect(await eventsOf("team.created", teamId)).toEqual([]);
  });
});

describe("API keys and webhook endpoints", () => {
  it("key created and revoked; endpoint created, secret rotated, disabled by an admin and by the system", async () => {
    const { team, admin } = await kitchen();
    const actor = { teamId: team.id, userId: admin.id };
    const made = await asRequest("req-key-1", () => makeApiKey(actor, { name: "Sync", scopes: ["recipes:read"] }));
    const created = await exactlyOne("api_key.created", team.id, made.id);
    expectEvent(created, {
      actorId: admin.id,
      targetType: "api_key",
      requestId: "req-key-1",
      metadata: { name: "Sync", scopes: ["recipes:read"], expiresInDays: null },
    });
    expect(JSON.stringify(created)).not.toContain(made.key);
    await asRequest("req-key-2", () => revokeApiKey(db, actor, made.id));
    expectEvent(await exactlyOne("api_key.revoked", team.id, made.id), { actorId: admin.id, requestId: "req-key-2" });

    const endpoint = await asRequest("req-hook-1", () =>
      createEndpoint(db, actor, { url: "https://hooks.example.test/in/abc", description: "", event_types: null }),
    );
    const added = await exactlyOne("webhook_endpoint.created", team.id, endpoint.id);
    expectEvent(added, {
      actorId: admin.id,
      requestId: "req-hook-1",
      metadata: { origin: "https://hooks.example.test", eventTypes: null },
    });
    const rotated = await asRequest("req-hook-2", () => rotateEndpointSecret(db, actor, endpoint.id));
    const rotation = await exactlyOne("webhook_endpoint.secret_rotated", team.id, endpoint.id);
    expectEvent(rotation, { actorId: admin.id, requestId: "req-hook-2" });
    for (const secret of [endpoint.secret, rotated.secret])
      expect(JSON.stringify([added, rotation])).not.toContain(secret);

    await asRequest("req-hook-3", () => updateEndpoint(db, actor, endpoint.id, { enabled: false }));
    expectEvent(await exactlyOne("webhook_endpoint.disabled", team.id, endpoint.id), {
      actorType: "user",
      actorId: admin.id,
      requestId: "req-hook-3",
      metadata: { reason: "manual" },
    });

    // The delivery worker turns a 410 endpoint off by itself: the system acts.
    const other = await createEndpoint(db, actor, {
      url: "https://gone.example.test/x",
      description: "",
      event_types: null,
    });
    await transaction(db, (tx, afterCommit) => disableEndpoint(tx, afterCommit, other.id, "gone"));
    expectEvent(await exactlyOne("webhook_endpoint.disabled", team.id, other.id), {
      actorType: "system",
      actorId: null,
      actorLabel: "webhook delivery",
      metadata: { reason: "gone", origin: "https://gone.example.test" },
    });
  });

  it("through the public API, the key that made the endpoint is the actor", async () => {
    const { team, owner } = await kitchen();
    const { id: keyId, key } = await makeApiKey({ teamId: team.id, userId: owner.id }, { name: "Deployer" });
    const { data } = await apiClient(key).POST("/webhook-endpoints", {
      body: { url: "https://hooks.example.test/api", description: "", event_types: null },
    });
    expectEvent(await exactlyOne("webhook_endpoint.created", team.id, data!.id), {
      actorType: "api_key",
      actorId: keyId,
      actorLabel: "Deployer",
    });
  });

  it("leave no event when the change rolls back", async () => {
    const { team, admin } = await kitchen();
    const actor = { teamId: team.id, userId: admin.id };
    const endpoint = await createEndpoint(db, actor, {
      url: "https://hooks.example.test/r",
      description: "",
      event_types: null,
    });
    await rolledBack((tx) => rotateEndpointSecret(tx, actor, endpoint.id));
    expect(await eventsOf("webhook_endpoint.secret_rotated", team.id, endpoint.id)).toEqual([]);
  });
});

describe("billing, from Stripe's webhooks: the provider is the actor", () => {
  async function deliver(event: { id: string }) {
    const { body, headers: signed } = signedStripeDelivery(event);
    const response = await stripeWebhook(
      new Request("http://localhost/api/webhooks/stripe", { method: "POST", body, headers: signed }),
    );
    expect(response.status).toBe(200);
    await flushAfterResponse();
  }

  it("plan changed once when the subscription starts; seats changed when its quantity does; nothing for a repeat", async () => {
    const owner = await signUpTestUser("Billing Owner");
    const team = await createTeam(db, { name: "Paying Kitchen", ownerId: owner.id });
    const customerId = simulatedId("cus");
    await db
      .update(schema.organization)
      .set({ stripeCustomerId: customerId })
      .where(eq(schema.organization.id, team.id));
    const subscription = {
      id: simulatedId("sub"),
      customerId,
      teamId: team.id,
      status: "active" as const,
      quantity: 2,
    };
    const started = sampleEvent("customer.subscription.created", sampleSubscription(subscription), {
      created: Math.floor(Date.now() / 1000) - 60,
    });
    await deliver(started);
    expectEvent(await exactlyOne("billing.plan_changed", team.id), {
      actorType: "provider",
      actorId: started.id,
      actorLabel: "stripe",
      targetType: "team",
      targetId: team.id,
      metadata: { from: "free", to: "pro", seats: 2, stripeEventType: "customer.subscription.created" },
    });
    const more = sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, quantity: 5 }));
    await deliver(more);
    expectEvent(await exactlyOne("billing.seats_changed", team.id), {
      actorType: "provider",
      actorId: more.id,
      metadata: { from: 2, to: 5 },
    });
    // The same state again (Stripe resends; reconciliation repeats it) changes nothing and records nothing.
    await deliver(sampleEvent("customer.subscription.updated", sampleSubscription({ ...subscription, quantity: 5 })));
    expect(await eventsOf("billing.seats_changed", team.id)).toHaveLength(1);
    expect(await eventsOf("billing.plan_changed", team.id)).toHaveLength(1);
  });
});

describe("account events", () => {
  it("sign-in, sign-out, password and email changed, sessions revoked: in the account's own chain", async () => {
    const cook = await signUpTestUser("Sam Signer");
    // Confirming the address signed them in (the link in the email).
    expectEvent((await eventsOf("account.signed_in", null, cook.id))[0]!, { metadata: { method: "email-link" } });
    const before = (await eventsOf("account.signed_in", null, cook.id)).length;

    await asRequest("req-acct-1", () => signInOnAnotherDevice(cook.email, "Phone/1.0"));
    const signIns = await eventsOf("account.signed_in", null, cook.id);
    expect(signIns).toHaveLength(before + 1);
    expectEvent(signIns[0]!, {
      actorType: "user",
      actorId: cook.id,
      actorLabel: labelOf(cook, "Sam Signer"),
      targetType: "user",
      requestId: "req-acct-1",
      organizationId: null,
      metadata: { method: "password" },
    });

    cook.actAs();
    await asRequest("req-acct-2", async () =>
      auth.api.changePassword({
        body: {
          currentPassword: "correct-horse-battery",
          newPassword: "a-new-long-password",
          revokeOtherSessions: true,
        },
        headers: await headers(),
      }),
    );
    expectEvent(await exactlyOne("account.password_changed", null, cook.id), {
      requestId: "req-acct-2",
      metadata: { via: "account-page" },
    });
    // The fresh session a password change starts is not a sign-in.
    expect(await eventsOf("account.signed_in", null, cook.id)).toHaveLength(before + 1);

    // Another device, with the new password; then "sign out everywhere else" from this browser.
    const thisBrowser = cookieJar.snapshot();
    await auth.api.signInEmail({
      body: { email: cook.email, password: "a-new-long-password" },
      headers: new Headers(),
    });
    cookieJar.restore(thisBrowser);
    const here = await auth.api.getSession({ headers: await headers() });
    const ended = await asRequest("req-acct-3", () => revokeOtherSessions(db, cook.id, here!.session.id));
    expect(ended).toBeGreaterThan(0);
    expectEvent(await exactlyOne("account.sessions_revoked", null, cook.id), {
      requestId: "req-acct-3",
      metadata: { scope: "others", count: ended },
    });

    const newEmail = `moved-${randomUUID().slice(0, 8)}@example.test`;
    expect(await changeEmailAction({}, form({ email: newEmail }))).toMatchObject({ ok: true });
    const link = async (to: string, template: string) => {
      await flushAfterResponse();
      const [sent] = await db
        .select({ props: schema.emails.props })
        .from(schema.emails)
        .where(and(eq(schema.emails.to, to), eq(schema.emails.template, template)))
        .orderBy(desc(schema.emails.createdAt));
      return (sent!.props as { url: string }).url;
    };
    await auth.handler(new Request(await link(cook.email, "email-change-requested")));
    // Approving from the old address changes nothing yet.
    expect(await eventsOf("account.email_changed", null, cook.id)).toEqual([]);
    await auth.handler(new Request(await link(newEmail, "verify-new-email")));
    expectEvent(await exactlyOne("account.email_changed", null, cook.id), { actorLabel: `Sam Signer <${newEmail}>` });

    await asRequest("req-acct-5", async () => auth.api.signOut({ headers: await headers() }));
    expectEvent(await exactlyOne("account.signed_out", null, cook.id), { requestId: "req-acct-5" });
  });

  it("account deleted: the events stay, under a pseudonym, and every chain still verifies", async () => {
    const { team, owner } = await kitchen();
    const leaver = await signUpTestUser("Lee Leaver");
    await addMember(db, team.id, leaver.id, "member");
    const made = await createRecipe(db, { teamId: team.id, userId: leaver.id }, recipe);
    await asRequest("req-acct-6", () => deleteAccount(db, leaver.id));

    const pseudonym = pseudonymFor(leaver.id);
    expectEvent(await exactlyOne("account.deleted", null, leaver.id), {
      actorId: leaver.id,
      actorLabel: pseudonym,
      requestId: "req-acct-6",
      personalSalt: null,
    });
    expect(await exactlyOne("team.member_removed", team.id, leaver.id)).toMatchObject({
      actorId: leaver.id,
      actorLabel: pseudonym,
      metadata: { accountDeleted: true },
    });
    expect(await exactlyOne("recipe.created", team.id, made.id)).toMatchObject({ actorLabel: pseudonym });
    const everything = JSON.stringify(await db.select().from(auditEvents));
    expect(everything).not.toContain(leaver.email);
    expect(everything).not.toContain("Lee Leaver");
    expect(everything).toContain(owner.email);
    expect((await verifyAuditChains(db)).broken).toEqual([]);
  });
});

describe("a change that rolls back leaves no event, in every area", () => {
  it("member role, key revocation, session revocation, recipe deletion, a Stripe event's handler", async () => {
    const { team, owner, admin } = await kitchen();
    const [seat] = await db
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.organizationId, team.id), eq(member.userId, admin.id)));
    await rolledBack((tx) =>
      changeMemberRole(tx, { teamId: team.id, actorId: owner.id, memberId: seat!.id, role: "member" }),
    );
    expect(await eventsOf("team.member_role_changed", team.id)).toEqual([]);

    const key = await makeApiKey({ teamId: team.id, userId: owner.id });
    await rolledBack((tx) => revokeApiKey(tx, { teamId: team.id, userId: owner.id }, key.id));
    expect(await eventsOf("api_key.revoked", team.id, key.id)).toEqual([]);

    await signInOnAnotherDevice(admin.email);
    await rolledBack((tx) => revokeOtherSessions(tx, admin.id, "no-such-session"));
    expect(await eventsOf("account.sessions_revoked", null, admin.id)).toEqual([]);

    const made = await createRecipe(db, { teamId: team.id, userId: owner.id }, recipe);
    await rolledBack((tx) => deleteRecipe(tx, { teamId: team.id, userId: owner.id }, made.id));
    expect(await eventsOf("recipe.deleted", team.id, made.id)).toEqual([]);

    const customerId = simulatedId("cus");
    await db
      .update(schema.organization)
      .set({ stripeCustomerId: customerId })
      .where(eq(schema.organization.id, team.id));
    const event = sampleEvent(
      "customer.subscription.updated",
      sampleSubscription({ id: `sub_${team.id}`, customerId, teamId: team.id, status: "active", quantity: 7 }),
      // Newer than the row makePro wrote a moment ago (same-second news never overwrites).
      { created: Math.floor(Date.now() / 1000) + 5 },
    );
    const row = { eventId: event.id, type: event.type, payload: event } as unknown as WebhookEvent;
    await rolledBack((tx) =>
      stripeHandlers["customer.subscription.updated"]!(tx, row, { afterCommit: () => undefined }),
    );
    expect(await eventsOf("billing.seats_changed", team.id)).toEqual([]);
    // The same handler, committed, records it: the rollback above is what left nothing.
    await transaction(db, (tx, afterCommit) =>
      stripeHandlers["customer.subscription.updated"]!(tx, row, { afterCommit }),
    );
    expect(await exactlyOne("billing.seats_changed", team.id)).toMatchObject({ metadata: { from: 1, to: 7 } });
  });
});

describe("the catalog", () => {
  it("every action but the operators' (the admin area's) is recorded by a test above", () => {
    const expected = auditActions.filter((action) => !action.startsWith("operator."));
    expect([...covered].sort()).toEqual([...expected].sort());
  });
});
