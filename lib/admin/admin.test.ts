import { randomUUID } from "node:crypto";
import { APIError } from "better-auth/api";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import AdminHealthPage from "@/app/admin/health/page";
import AdminPage from "@/app/admin/page";
import AdminTeamPage from "@/app/admin/teams/[team]/page";
import AdminUserPage from "@/app/admin/users/[user]/page";
import { banAction, impersonateAction, unbanAction } from "@/app/admin/actions";
import { signInAction } from "@/app/(auth)/actions";
import { GET as authGET, POST as authPOST } from "@/app/api/auth/[...all]/route";
import { GET as events } from "@/app/api/events/route";
import { createRecipeAction } from "@/app/t/[team]/actions";
import { ADMIN_PAGE_SIZE, searchTeams, searchUsers, startOfUtcDay, systemHealth, userDetail } from "@/lib/admin";
import { auth, getSession } from "@/lib/auth";
import { SIGNED_IN_HINT_COOKIE } from "@/lib/auth/cookies";
import { BANNED_MESSAGE, IMPERSONATION_MAX_SECONDS } from "@/lib/auth/operator-hooks";
import { db, schema } from "@/lib/db";
import { runWithRequestContext } from "@/lib/observability/request-context";
import { replaceEnv } from "@/tests/support/env";
import { form } from "@/tests/support/form";
import { cookieJar } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { readServerSentEvents } from "@/tests/support/sse";
import {
  personalTeam,
  sessionOf,
  signInOnAnotherDevice,
  signUpTestUser,
  signUpUnconfirmedTestUser,
} from "@/tests/support/users";

/**
 * The admin area: who reaches it (only a confirmed account listed in ADMIN_EMAILS, never from inside an
 * impersonation), what a ban does to open sessions, streams and sign-in, and impersonation with its audit trail
 * and its hour.
 */

type TestUser = Awaited<ReturnType<typeof signUpTestUser>>;
let operator: TestUser;
let cook: TestUser;
let stranger: TestUser;
let unconfirmedListed: Awaited<ReturnType<typeof signUpUnconfirmedTestUser>>;
let restoreEnv: () => void;

beforeAll(async () => {
  operator = await signUpTestUser("Olive Operator");
  cook = await signUpTestUser("Cora Cook");
  stranger = await signUpTestUser("Stan Stranger");
  unconfirmedListed = await signUpUnconfirmedTestUser("Squatter");
  // Both addresses are listed; only the confirmed one makes an operator.
  restoreEnv = replaceEnv({ ADMIN_EMAILS: `${operator.email.toUpperCase()}, ${unconfirmedListed.email}` });
}, 180_000);

afterAll(() => restoreEnv());

const opened: AbortController[] = [];
afterEach(() => opened.splice(0).forEach((abort) => abort.abort()));

const NOT_FOUND = "NEXT_NOT_FOUND";
const base = "http://localhost:3000/api/auth";
const browserCookie = () => [...cookieJar.snapshot()].map(([name, value]) => `${name}=${value}`).join("; ");
const postAuth = (path: string, body: unknown, cookie = browserCookie()) =>
  authPOST(
    new Request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", cookie },
      body: JSON.stringify(body),
    }),
  );

/** Every /admin page, rendered as Next renders it for the current browser. */
function adminPages(userId: string, teamId: string) {
  return {
    "/admin": () => AdminPage({ searchParams: Promise.resolve({ q: "cook" }) }),
    "/admin/users/[user]": () => AdminUserPage({ params: Promise.resolve({ user: userId }) }),
    "/admin/teams/[team]": () => AdminTeamPage({ params: Promise.resolve({ team: teamId }) }),
    "/admin/health": () => AdminHealthPage(),
  };
}

/** Every /admin Server Action, with a form that would work for an operator. */
function adminActions(userId: string) {
  return {
    banAction: () => banAction({}, form({ userId, reason: "Spam in every recipe" })),
    unbanAction: () => unbanAction({}, form({ userId })),
    impersonateAction: () => impersonateAction({}, form({ userId })),
  };
}

/** What each page and action does for the current browser: "404", or "ok". */
async function outcomes(target: TestUser) {
  const results: Record<string, string> = {};
  const calls = { ...adminPages(target.id, target.teamId), ...adminActions(target.id) };
  for (const [name, call] of Object.entries(calls)) {
    try {
      await call();
      results[name] = "ok";
    } catch (error) {
      results[name] = error instanceof Error && error.message === NOT_FOUND ? "404" : String(error);
    }
  }
  return results;
}

const everything404 = {
  "/admin": "404",
  "/admin/users/[user]": "404",
  "/admin/teams/[team]": "404",
  "/admin/health": "404",
  banAction: "404",
  unbanAction: "404",
  impersonateAction: "404",
};

async function userRow(userId: string) {
  const [row] = await db.select().from(schema.user).where(eq(schema.user.id, userId));
  return row!;
}

function auditEvents(action: string, targetId: string) {
  return db
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)));
}

/** Opens GET /api/events with this cookie, and waits for the stream to be ready. */
async function openStream(cookie: string) {
  const abort = new AbortController();
  opened.push(abort);
  const response = await events(
    new Request("http://localhost/api/events", { headers: { cookie }, signal: abort.signal }),
  );
  expect(response.status).toBe(200);
  const stream = readServerSentEvents(response.body!);
  await stream.next(2_000, { includeReady: true });
  return stream;
}

describe("who reaches /admin", () => {
  it("nobody but an operator: signed out, a cook, and an unconfirmed account whose address is listed get 404 on every page and action", async () => {
    cookieJar.clear();
    expect(await outcomes(cook)).toEqual(everything404);
    stranger.actAs();
    expect(await outcomes(cook)).toEqual(everything404);
    unconfirmedListed.actAs();
    expect((await getSession())?.user.email).toBe(unconfirmedListed.email);
    expect(await outcomes(cook)).toEqual(everything404);
    // None of those calls did anything.
    expect(await userRow(cook.id)).toMatchObject({ banned: false });
    expect(await auditEvents("operator.user_banned", cook.id)).toHaveLength(0);
  });

  it("the role column alone makes nobody an operator", async () => {
    await db.update(schema.user).set({ role: "admin" }).where(eq(schema.user.id, stranger.id));
    stranger.actAs();
    expect(await outcomes(cook)).toEqual(everything404);
    await db.update(schema.user).set({ role: "user" }).where(eq(schema.user.id, stranger.id));
  });

  it("an operator gets every page (the address is compared without case)", async () => {
    operator.actAs();
    for (const [name, render] of Object.entries(adminPages(cook.id, cook.teamId))) {
      await expect(render(), name).resolves.toBeTruthy();
    }
  });

  it("the admin plugin's endpoints answer 404 over HTTP, even to an operator", async () => {
    operator.actAs();
    for (const path of ["/admin/impersonate-user", "/admin/ban-user", "/admin/set-role", "/admin/remove-user"]) {
      const response = await postAuth(path, { userId: cook.id, role: "admin" });
      expect(response.status, path).toBe(404);
    }
    const list = await authGET(new Request(`${base}/admin/list-users`, { headers: { cookie: browserCookie() } }));
    expect(list.status).toBe(404);
    expect(await userRow(cook.id)).toMatchObject({ banned: false, role: "user" });
  });

  it("on the server, the plugin's endpoints refuse anyone who is not an operator by ADMIN_EMAILS", async () => {
    await db.update(schema.user).set({ role: "admin" }).where(eq(schema.user.id, stranger.id));
    stranger.actAs();
    const headers = new Headers({ cookie: browserCookie() });
    await expect(auth.api.impersonateUser({ body: { userId: cook.id }, headers })).rejects.toBeInstanceOf(APIError);
    await expect(auth.api.banUser({ body: { userId: cook.id }, headers })).rejects.toBeInstanceOf(APIError);
    await db.update(schema.user).set({ role: "user" }).where(eq(schema.user.id, stranger.id));
    expect(await userRow(cook.id)).toMatchObject({ banned: false });
  });
});

describe("a ban", () => {
  it("ends an open session's next request and its event stream, refuses sign-in with the message, and is lifted by unban", async () => {
    const target = await signUpTestUser("Bea Banned");
    const targetCookie = browserCookie();
    const phone = await signInOnAnotherDevice(target.email);
    const stream = await openStream(targetCookie);
    expect(await sessionOf(new Headers({ cookie: targetCookie }))).not.toBeNull();

    operator.actAs();
    expect(await banAction({}, form({ userId: target.id, reason: "x" }))).toMatchObject({
      fieldErrors: { reason: [expect.stringContaining("at least 3")] },
    });
    const banned = await runWithRequestContext({ requestId: "req-ban" }, () =>
      banAction({}, form({ userId: target.id, reason: "Spam in every recipe" })),
    );
    expect(banned).toMatchObject({ ok: true, message: expect.stringContaining("2 sessions ended") });

    // The open tab's next request is signed out, the phone too, and the stream was told and closed.
    expect(await getSession(new Headers({ cookie: targetCookie }))).toBeNull();
    expect(await sessionOf(phone)).toBeNull();
    expect(await stream.next(5_000, { type: "session-ended" })).not.toBeNull();
    await stream.next(1_000);
    expect(stream.ended).toBe(true);

    // Signing in again is refused with the message, through Better Auth and through the sign-in form.
    await expect(
      auth.api.signInEmail({ body: { email: target.email, password: "correct-horse-battery" } }),
    ).rejects.toMatchObject({ body: { message: BANNED_MESSAGE } });
    cookieJar.clear();
    expect(
      await signInAction({}, form({ email: target.email, password: "correct-horse-battery", next: "/dashboard" })),
    ).toMatchObject({ error: BANNED_MESSAGE });
    expect(cookieJar.snapshot().size).toBe(0);

    const bans = await auditEvents("operator.user_banned", target.id);
    expect(bans).toHaveLength(1);
    const [event] = bans;
    expect(event).toMatchObject({
      requestId: "req-ban",
      organizationId: null,
      actorType: "user",
      actorId: operator.id,
      targetType: "user",
      metadata: { reason: "Spam in every recipe", sessionsEnded: 2 },
    });
    expect(event!.actorLabel).toContain(operator.email);

    operator.actAs();
    expect(await unbanAction({}, form({ userId: target.id }))).toMatchObject({ ok: true });
    expect(await userRow(target.id)).toMatchObject({ banned: false, banReason: null });
    expect(await auditEvents("operator.user_unbanned", target.id)).toEqual([
      expect.objectContaining({ actorId: operator.id, organizationId: null }),
    ]);
    await expect(
      auth.api.signInEmail({ body: { email: target.email, password: "correct-horse-battery" } }),
    ).resolves.toMatchObject({ user: { id: target.id } });
  });

  it("refuses to ban oneself or another operator", async () => {
    operator.actAs();
    expect(await banAction({}, form({ userId: operator.id, reason: "Testing myself" }))).toMatchObject({
      error: "You cannot ban yourself.",
    });
    expect(await userRow(operator.id)).toMatchObject({ banned: false });
  });
});

describe("impersonation", () => {
  it("is recorded with the operator as actor, shows the user's app, keeps /admin closed, and stops back to the operator", async () => {
    const target = await signUpTestUser("Ivy Impersonated");
    const team = await personalTeam(target.id);
    operator.actAs();
    const operatorSession = (await getSession())!.session;

    await runWithRequestContext({ requestId: "req-impersonate" }, async () => {
      await expect(impersonateAction({}, form({ userId: target.id }))).rejects.toEqual(
        new RedirectSignal("/dashboard"),
      );
    });
    // The header's scripts are told a session is there (the plugin cleared the operator's cookie, then set the user's).
    expect(cookieJar.snapshot().get(SIGNED_IN_HINT_COOKIE)).toBe("1");
    const seen = (await sessionOf(new Headers({ cookie: browserCookie() })))!;
    expect(seen.user.id).toBe(target.id);
    expect(seen.session.impersonatedBy).toBe(operator.id);
    const lasts = (seen.session.expiresAt.getTime() - Date.now()) / 1000;
    expect(lasts).toBeLessThanOrEqual(IMPERSONATION_MAX_SECONDS);
    expect(lasts).toBeGreaterThan(IMPERSONATION_MAX_SECONDS - 60);

    const starts = await auditEvents("operator.impersonation_started", target.id);
    expect(starts).toHaveLength(1);
    const [started] = starts;
    expect(started).toMatchObject({
      requestId: "req-impersonate",
      actorId: operator.id,
      organizationId: null,
      metadata: { expiresAt: seen.session.expiresAt.toISOString() },
    });

    // From inside the impersonation, /admin does not exist, even though the operator's browser holds the session,
    // and even were the impersonated address an operator's.
    expect(await outcomes(stranger)).toEqual(everything404);
    const restore = replaceEnv({ ADMIN_EMAILS: `${operator.email},${target.email}` });
    try {
      expect(await outcomes(stranger)).toEqual(everything404);
    } finally {
      restore();
    }
    expect(await userRow(stranger.id)).toMatchObject({ banned: false });

    // What the operator does as the user is the operator's doing in the team's log.
    await runWithRequestContext({ requestId: "req-impersonated-recipe" }, async () => {
      await expect(
        createRecipeAction(
          {},
          form({ teamId: team.id, title: "Operator soup", description: "", ingredients: "salt", steps: "Stir." }),
        ),
      ).rejects.toBeInstanceOf(RedirectSignal);
    });
    const [recipeEvent] = await db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, "recipe.created"), eq(schema.auditEvents.organizationId, team.id)));
    expect(recipeEvent).toMatchObject({
      actorType: "user",
      actorId: operator.id,
      requestId: "req-impersonated-recipe",
    });
    expect(recipeEvent!.actorLabel).toContain(`as Ivy Impersonated <${target.email}>`);

    // The banner's button: the operator's own session comes back, the impersonation session is gone.
    const stopped = await postAuth("/admin/stop-impersonating", {});
    expect(stopped.status).toBe(200);
    const back = stopped.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith("better-auth.session_token="))!
      .split(";")[0]!;
    expect((await sessionOf(new Headers({ cookie: back })))?.session.id).toBe(operatorSession.id);
    const left = await db.select().from(schema.session).where(eq(schema.session.id, seen.session.id));
    expect(left).toHaveLength(0);
    expect(await auditEvents("operator.impersonation_stopped", target.id)).toEqual([
      expect.objectContaining({ actorId: operator.id, metadata: { expired: false } }),
    ]);
  });

  it("ends by itself after the hour, even when the browser dropped the cookie that stops Better Auth's refresh", async () => {
    const target = await signUpTestUser("Hugo Hour");
    operator.actAs();
    await expect(impersonateAction({}, form({ userId: target.id }))).rejects.toBeInstanceOf(RedirectSignal);
    const seen = (await sessionOf(new Headers({ cookie: browserCookie() })))!;
    expect(seen.session.impersonatedBy).toBe(operator.id);
    // Without it Better Auth refreshes the session's expiry a week ahead on its next use.
    const jar = cookieJar.snapshot();
    for (const name of jar.keys()) if (name.includes("dont_remember")) jar.delete(name);
    cookieJar.restore(jar);
    const cookie = browserCookie();
    expect((await getSession(new Headers({ cookie })))?.user.id).toBe(target.id);

    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(seen.session.createdAt.getTime() + (IMPERSONATION_MAX_SECONDS - 5) * 1000);
      expect((await getSession(new Headers({ cookie })))?.user.id).toBe(target.id);
      vi.setSystemTime(seen.session.createdAt.getTime() + (IMPERSONATION_MAX_SECONDS + 1) * 1000);
      expect(await getSession(new Headers({ cookie }))).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    expect(await db.select().from(schema.session).where(eq(schema.session.id, seen.session.id))).toHaveLength(0);
    expect(await auditEvents("operator.impersonation_stopped", target.id)).toEqual([
      expect.objectContaining({ actorId: operator.id, metadata: { expired: true } }),
    ]);
  });

  it("never of another operator, a banned account or oneself", async () => {
    operator.actAs();
    expect(await impersonateAction({}, form({ userId: operator.id }))).toMatchObject({
      error: "You are already yourself.",
    });
    const other = await signUpTestUser("Otto Operator");
    const restore = replaceEnv({ ADMIN_EMAILS: `${operator.email},${other.email}` });
    try {
      operator.actAs();
      expect(await impersonateAction({}, form({ userId: other.id }))).toMatchObject({
        error: "Operators cannot be impersonated.",
      });
    } finally {
      restore();
    }
    expect(await auditEvents("operator.impersonation_started", other.id)).toHaveLength(0);
  });
});

describe("finding users and teams", () => {
  it("by a piece of the address or the name, and teams by name or slug, a page at a time; % and _ are taken literally", async () => {
    const marker = `zq${Date.now().toString(36)}`;
    // Rows written straight to the table: signing up 22 accounts would take this test 10 s.
    const people = Array.from({ length: ADMIN_PAGE_SIZE + 2 }, (_, i) => ({
      id: randomUUID(),
      name: `${marker} Person ${i}`,
      email: `person-${i}-${randomUUID()}@example.test`,
    }));
    await db.insert(schema.user).values(people);
    const first = await searchUsers(db, { q: marker.toUpperCase(), page: 1 });
    const second = await searchUsers(db, { q: marker, page: 2 });
    expect(first.rows).toHaveLength(ADMIN_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    expect(second.rows).toHaveLength(2);
    expect(second.hasMore).toBe(false);
    expect(new Set([...first.rows, ...second.rows].map((row) => row.id))).toEqual(new Set(people.map((p) => p.id)));
    const byAddress = await searchUsers(db, { q: cook.email.slice(0, 20), page: 1 });
    expect(byAddress.rows.map((row) => row.id)).toEqual([cook.id]);
    expect((await searchUsers(db, { q: "%", page: 1 })).rows).toEqual([]);

    const [team] = await db
      .select({ slug: schema.organization.slug, name: schema.organization.name })
      .from(schema.organization)
      .where(eq(schema.organization.id, stranger.teamId));
    const bySlug = await searchTeams(db, { q: team!.slug, page: 1 });
    expect(bySlug.rows).toEqual([expect.objectContaining({ id: stranger.teamId, members: 1, personal: true })]);
    expect(
      (await searchTeams(db, { q: "_", page: 1 })).rows.every(
        (row) => row.slug.includes("_") || row.name.includes("_"),
      ),
    ).toBe(true);
  });

  it("a user's page lists their teams, sessions and recent audit events", async () => {
    const detail = (await userDetail(db, operator.id))!;
    expect(detail.teams).toEqual([expect.objectContaining({ id: operator.teamId, personal: true, role: "owner" })]);
    expect(detail.sessions.length).toBeGreaterThan(0);
    // The operator banned, unbanned and impersonated above: each event names them as actor.
    expect(detail.recentEvents.map((event) => event.action)).toEqual(
      expect.arrayContaining(["operator.user_banned", "operator.user_unbanned", "operator.impersonation_started"]),
    );
    expect(detail.recentEvents.every((event) => event.actorId === operator.id || event.targetId === operator.id)).toBe(
      true,
    );
    expect(await userDetail(db, "no-such-user")).toBeNull();
  });
});

describe("the health page's figures", () => {
  it("counts the inbox backlog and dead events, failed emails, failing endpoints and today's AI usage", async () => {
    const now = new Date();
    const today = startOfUtcDay(now);
    const before = await systemHealth(db, now);
    const event = (status: "pending" | "failed" | "dead", n: number) => ({
      provider: "stripe",
      eventId: `evt_${status}_${n}_${Date.now()}`,
      type: "invoice.paid",
      payload: {},
      status,
      lastError: status === "pending" ? null : "handler failed: id evt_x",
    });
    await db
      .insert(schema.webhookEvents)
      .values([event("pending", 1), event("failed", 1), event("dead", 1), event("dead", 2)]);
    await db.insert(schema.emails).values([
      { to: "x@example.test", template: "welcome", subject: "Hi", status: "failed", attempts: 5, lastError: "422" },
      { to: "y@example.test", template: "welcome", subject: "Hi", status: "sent" },
    ]);
    const endpoint = (url: string, extra: Partial<typeof schema.webhookEndpoints.$inferInsert>) => ({
      organizationId: cook.teamId,
      url,
      secret: "whsec_dGVzdC1zZWNyZXQtZm9yLWhlYWx0aA==",
      ...extra,
    });
    await db
      .insert(schema.webhookEndpoints)
      .values([
        endpoint("https://failing.example.test/", { failingSince: new Date(now.getTime() - 3_600_000) }),
        endpoint("https://gone.example.test/", { enabled: false, disabledReason: "gone", disabledAt: now }),
        endpoint("https://off.example.test/", { enabled: false, disabledReason: "manual", disabledAt: now }),
        endpoint("https://fine.example.test/", {}),
      ]);
    const generation = (status: "succeeded" | "failed", createdAt: Date) => ({
      organizationId: cook.teamId,
      userId: cook.id,
      kind: "recipe-draft" as const,
      model: "offline:sample-drafts",
      status,
      inputTokens: 10,
      outputTokens: 20,
      createdAt,
    });
    await db
      .insert(schema.aiGenerations)
      .values([
        generation("succeeded", today),
        generation("failed", new Date(today.getTime() + 60_000)),
        generation("succeeded", new Date(today.getTime() - 60_000)),
      ]);

    const after = await systemHealth(db, now);
    expect(after.inbox.pending - before.inbox.pending).toBe(1);
    expect(after.inbox.failed - before.inbox.failed).toBe(1);
    expect(after.inbox.dead - before.inbox.dead).toBe(2);
    expect(after.inbox.deadEvents.filter((dead) => dead.lastError === "handler failed: id evt_x")).toHaveLength(2);
    expect(after.inbox.oldestWaitingSince).not.toBeNull();
    expect(after.emails.failed - before.emails.failed).toBe(1);
    expect(after.emails.failing[0]).toMatchObject({ template: "welcome", attempts: 5, lastError: "422" });
    expect(after.endpoints.map((row) => row.url).sort()).toEqual(
      [...before.endpoints.map((row) => row.url), "https://failing.example.test/", "https://gone.example.test/"].sort(),
    );
    expect(after.ai.calls - before.ai.calls).toBe(2);
    expect(after.ai.failed - before.ai.failed).toBe(1);
    expect(after.ai.byModel.find((row) => row.model === "offline:sample-drafts")).toMatchObject({
      inputTokens: expect.any(Number),
    });
    const offline = (h: typeof before) => h.ai.byModel.find((row) => row.model === "offline:sample-drafts");
    expect((offline(after)?.inputTokens ?? 0) - (offline(before)?.inputTokens ?? 0)).toBe(20);
  });
});
