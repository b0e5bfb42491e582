import { createAnthropic } from "@ai-sdk/anthropic";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { FAKE_USAGE, startFakeProvider } from "@/tests/support/fake-ai-providers";
import { headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { readServerSentEvents } from "@/tests/support/sse";
import { makePro, signUpTestUser } from "@/tests/support/users";
import { createOfflineModel, OFFLINE_LABEL } from "./offline-model";
import { weekDays, weekPlanHref, type WeekPlan } from "./schema";

let weekPlans: typeof import("./week-plan");
let events: typeof import("@/app/api/events/route");
let hub: typeof import("@/lib/realtime/hub");
const provider = startFakeProvider();
let providerUrl: string;
const streams: AbortController[] = [];

// No AI_MODEL and no key: the offline model, as in `npm run dev`; no TRIGGER_SECRET_KEY: jobs run after the response.
// lib/ai/model.ts picks the model from env at import, so the modules are imported again under these variables.
beforeAll(async () => {
  for (const name of ["AI_MODEL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "TRIGGER_SECRET_KEY"]) vi.stubEnv(name, "");
  vi.resetModules();
  weekPlans = await import("./week-plan");
  events = await import("@/app/api/events/route");
  hub = await import("@/lib/realtime/hub");
  providerUrl = await provider.listen();
  await signUpTestUser();
}, 180_000);
afterEach(() => {
  for (const stream of streams.splice(0)) stream.abort();
});
afterAll(async () => {
  hub.realtimeHub().stop();
  await provider.close();
  vi.unstubAllEnvs();
});

async function cookWithRecipes(titles: string[]) {
  const cook = await signUpTestUser();
  for (const title of titles)
    await db.insert(schema.recipes).values({ organizationId: cook.teamId, createdBy: cook.id, title });
  return cook;
}

/** The signed-in cook's /api/events stream, as the open dashboard holds it. */
async function openDashboardStream() {
  const abort = new AbortController();
  streams.push(abort);
  // The fake browser's cookies, as signUpTestUser left them: the route reads the request's session.
  const response = await events.GET(
    new Request("http://localhost/api/events", { headers: await fakeBrowserHeaders(), signal: abort.signal }),
  );
  expect(response.status).toBe(200);
  return readServerSentEvents(response.body!);
}

const weekPlanRows = (userId: string) =>
  db
    .select()
    .from(schema.aiGenerations)
    .where(and(eq(schema.aiGenerations.userId, userId), eq(schema.aiGenerations.kind, "week-plan")));

const finishedEvents = (teamId: string) =>
  db
    .select()
    .from(schema.realtimeEvents)
    .where(and(eq(schema.realtimeEvents.organizationId, teamId), eq(schema.realtimeEvents.type, "ai.draft.finished")));

/** Where the dashboard's "Plan my week" panel is: on the team's page. */
async function weekPlanLink(teamId: string) {
  const [team] = await db
    .select({ slug: schema.organization.slug })
    .from(schema.organization)
    .where(eq(schema.organization.id, teamId));
  return weekPlanHref(team!.slug);
}

const samplePlan: WeekPlan = {
  days: weekDays.map((day, i) => ({ day, dinner: `Dinner ${i + 1}`, note: "Cook extra rice for tomorrow." })),
};

// A generous timeout where the model is meant to answer (a short one raced the fake provider on a busy machine);
// the timeout's own test passes a short one.
const anthropicModel = (timeoutMs = 15_000, maxRetries = 0) => ({
  model: createAnthropic({ apiKey: "sk-ant-test", baseURL: `${providerUrl}/v1` })("claude-sonnet-4-5"),
  modelName: "anthropic:claude-sonnet-4-5",
  timeoutMs,
  maxRetries,
});

describe("Plan my week: a background job", () => {
  it("drafts a week from the cook's recipes after the response, stores it and tells the open dashboard", async () => {
    const cook = await cookWithRecipes(["Lentil soup", "Focaccia", "Green curry"]);
    const dashboard = await openDashboardStream();

    const requested = await weekPlans.requestWeekPlan(
      db,
      { teamId: cook.teamId, userId: cook.id },
      { requestId: "req_plan_1" },
    );

    expect(requested.generationId).toEqual(expect.any(String));
    // Reserved before the job runs: the dashboard shows it as being planned.
    expect(await weekPlans.getLatestWeekPlan(db, cook.teamId)).toMatchObject({ status: "pending" });

    await flushAfterResponse();

    const [row] = await weekPlanRows(cook.id);
    expect(row).toMatchObject({ status: "succeeded", model: "offline:sample-drafts", error: null });
    expect(row!.inputTokens).toBeGreaterThan(0);
    expect(row!.outputTokens).toBeGreaterThan(0);
    const plan = row!.result as WeekPlan;
    expect(plan.days.map((day) => day.day)).toEqual([...weekDays]);
    // The offline model picks the cook's own recipes in turn, and says it is a sample.
    expect(new Set(plan.days.map((day) => day.dinner))).toEqual(new Set(["Lentil soup", "Focaccia", "Green curry"]));
    expect(plan.days[0]!.note).toContain(OFFLINE_LABEL);
    expect(await weekPlans.getLatestWeekPlan(db, cook.teamId)).toMatchObject({ status: "succeeded", plan });

    const event = await dashboard.next(3_000, { type: "ai.draft.finished" });
    expect(JSON.parse(event!.data)).toEqual({
      generationId: row!.id,
      kind: "week-plan",
      title: "Your week's menu",
      href: await weekPlanLink(cook.teamId),
      teamId: cook.teamId,
    });
  });

  it("counts against the daily quota: Free gets one plan a day, then a clear refusal and no job", async () => {
    const cook = await cookWithRecipes(["Dal"]);
    await weekPlans.requestWeekPlan(db, { teamId: cook.teamId, userId: cook.id });
    await flushAfterResponse();

    const refused = weekPlans.requestWeekPlan(db, { teamId: cook.teamId, userId: cook.id });

    await expect(refused).rejects.toMatchObject({
      kind: "limit-reached",
      reason: "ai-quota-exceeded",
      upgrade: true,
      message: "You have used today's 1 week plan on the Free plan. Upgrade to Pro for more, or try again tomorrow.",
    });
    await flushAfterResponse();
    expect(await weekPlanRows(cook.id)).toHaveLength(1);

    // Pro raises the quota.
    await makePro(cook.teamId);
    await expect(weekPlans.requestWeekPlan(db, { teamId: cook.teamId, userId: cook.id })).resolves.toEqual({
      generationId: expect.any(String),
    });
    await flushAfterResponse();
    expect(await weekPlanRows(cook.id)).toHaveLength(2);
  });

  it("through the real Anthropic client (not streamed): stores the plan with the provider's token counts", async () => {
    provider.respondWith({ kind: "stream", text: JSON.stringify(samplePlan) });
    const cook = await cookWithRecipes(["Risotto"]);
    const { generation } = await reserve(cook, "anthropic:claude-sonnet-4-5");

    const result = await weekPlans.draftWeekPlan(db, { generationId: generation.id }, anthropicModel());

    expect(result).toEqual({ status: "succeeded", plan: samplePlan });
    const call = provider.calls.at(-1)!;
    expect(call.body.stream).not.toBe(true);
    expect(JSON.stringify(call.body.messages)).toContain("- Risotto");
    expect((await weekPlanRows(cook.id))[0]).toMatchObject({
      status: "succeeded",
      inputTokens: FAKE_USAGE.input,
      outputTokens: FAKE_USAGE.output,
      result: samplePlan,
    });
  });

  it("records a provider failure, gives the quota back, and announces it without a title", async () => {
    provider.respondWith({ kind: "status", status: 500 });
    const cook = await cookWithRecipes(["Risotto"]);
    const { generation } = await reserve(cook, "anthropic:claude-sonnet-4-5");

    const result = await weekPlans.draftWeekPlan(db, { generationId: generation.id }, anthropicModel());

    expect(result).toEqual({ status: "failed", reason: "provider answered 500" });
    expect((await weekPlanRows(cook.id))[0]).toMatchObject({ status: "failed", error: "provider answered 500" });
    expect(await weekPlans.getLatestWeekPlan(db, cook.teamId)).toMatchObject({ status: "failed", timedOut: false });
    const { getAiUsage } = await import("./quota");
    expect((await getAiUsage(db, cook.teamId, "week-plan")).left).toBe(1);
    const [event] = await finishedEvents(cook.teamId);
    expect(event!.data).toEqual({
      generationId: generation.id,
      kind: "week-plan",
      href: await weekPlanLink(cook.teamId),
      teamId: cook.teamId,
    });
  });

  it("retries a failing provider once before recording the failure", async () => {
    provider.respondWith({ kind: "status", status: 500 });
    const cook = await cookWithRecipes(["Risotto"]);
    const { generation } = await reserve(cook, "anthropic:claude-sonnet-4-5");
    const callsBefore = provider.calls.length;

    const result = await weekPlans.draftWeekPlan(db, { generationId: generation.id }, anthropicModel(10_000, 1));

    expect(provider.calls.length - callsBefore).toBe(2);
    expect(result).toEqual({ status: "failed", reason: "provider answered 500" });
  });

  it("gives up on a provider that never answers within the timeout", async () => {
    provider.respondWith({ kind: "hang" });
    const cook = await cookWithRecipes([]);
    const { generation } = await reserve(cook, "anthropic:claude-sonnet-4-5");
    const started = Date.now();

    const result = await weekPlans.draftWeekPlan(db, { generationId: generation.id }, anthropicModel(300));

    expect(result).toEqual({ status: "failed", reason: "timeout" });
    // Far less than a hang (the provider never answers), with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await weekPlans.getLatestWeekPlan(db, cook.teamId)).toMatchObject({ status: "failed", timedOut: true });
  });

  it("does nothing when run again for a plan that is already stored (a retried or duplicate job)", async () => {
    const cook = await cookWithRecipes(["Tacos"]);
    const { generation } = await reserve(cook);
    const offline = {
      model: createOfflineModel("sample-drafts", { chunkDelayMs: 0 }),
      modelName: "offline",
      timeoutMs: 15_000,
    };
    expect((await weekPlans.draftWeekPlan(db, { generationId: generation.id }, offline)).status).toBe("succeeded");

    expect(await weekPlans.draftWeekPlan(db, { generationId: generation.id }, offline)).toEqual({ status: "skipped" });
    expect(await finishedEvents(cook.teamId)).toHaveLength(1);
  });
});

async function reserve(cook: { id: string; teamId: string }, model = "offline:sample-drafts") {
  const { reserveGeneration } = await import("./quota");
  return reserveGeneration(db, { teamId: cook.teamId, userId: cook.id }, "week-plan", model);
}
