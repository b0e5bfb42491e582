import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FREE_AI_DRAFTS_PER_DAY, PRO_AI_DRAFTS_PER_DAY } from "@/lib/billing";
import { db, schema } from "@/lib/db";
import { FAKE_USAGE, startFakeProvider } from "@/tests/support/fake-ai-providers";
import { headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { readUiStream } from "@/tests/support/ui-stream";
import { makePro, signUpTestUser } from "@/tests/support/users";

const ANTHROPIC_KEY = "sk-ant-test-key-that-must-stay-on-the-server";
const OPENAI_KEY = "sk-openai-test-key-that-must-stay-on-the-server";
const draft = {
  title: "Quick weeknight dal",
  description: "Red lentils simmered with spices, on the table in 30 minutes.",
  ingredients: ["250 g red lentils", "1 onion", "2 tsp curry powder", "400 ml coconut milk"],
  steps: ["Rinse the lentils.", "Soften the onion with the spices.", "Simmer everything for 20 minutes."],
};

const provider = startFakeProvider();
let providerUrl: string;
beforeAll(async () => {
  providerUrl = await provider.listen();
  // Every test starts from a valid draft (afterEach restores it), also the first one to run alone (-t).
  provider.respondWith({ kind: "stream", text: JSON.stringify(draft) });
  // The first import of the route and the first query (the embedded database starting) are slow on a busy machine: pay them here.
  await loadRoute();
  await db.select().from(schema.aiGenerations).limit(1);
});
afterAll(() => provider.close());
afterEach(() => {
  vi.unstubAllEnvs();
  provider.respondWith({ kind: "stream", text: JSON.stringify(draft) });
});

/**
 * Loads the route again under these variables: lib/ai/model.ts picks the model, and lib/ratelimit/limiters.ts
 * sets the burst limit, from env at import.
 */
async function loadRoute(vars: Record<string, string> = {}) {
  const defaults = {
    AI_MODEL: "anthropic:claude-sonnet-4-5",
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: `${providerUrl}/v1`,
    // Generous: the timeout tests set their own; a short one here raced the stream on a busy machine.
    AI_TIMEOUT_MS: "15000",
    AI_BURST_LIMIT: "100",
  };
  for (const [name, value] of Object.entries({ ...defaults, ...vars })) vi.stubEnv(name, value);
  vi.resetModules();
  return (await import("./route")).POST;
}

/** A signed-in cook and a way to post ideas as them. */
async function cook() {
  const user = await signUpTestUser();
  const cookie = (await fakeBrowserHeaders()).get("cookie")!;
  const request = (body: unknown, init: { signal?: AbortSignal; contentType?: string } = {}) =>
    new Request("http://localhost/api/ai/draft-recipe", {
      method: "POST",
      headers: { cookie, "content-type": init.contentType ?? "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal: init.signal,
    });
  return { ...user, request };
}

function generationsOf(userId: string) {
  return db.select().from(schema.aiGenerations).where(eq(schema.aiGenerations.userId, userId));
}

describe("POST /api/ai/draft-recipe against Anthropic's streaming Messages API", () => {
  it("streams the draft as it is written: the first bytes leave before the provider has finished", async () => {
    provider.respondWith({ kind: "stream", text: JSON.stringify(draft), chunkSize: 12, chunkDelayMs: 20 });
    const POST = await loadRoute();
    const me = await cook();

    const started = Date.now();
    const response = await POST(me.request({ idea: "a quick weeknight dal" }));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const { chunks, drafts, lastDraft, errors } = await readUiStream(response);
    const call = provider.calls.at(-1)!;
    console.info(
      `[fake anthropic draft] first part after ${chunks[0]!.at - started} ms, complete after ${chunks.at(-1)!.at - started} ms (provider streamed for ${call.finishedAt! - started} ms)`,
    );
    expect(errors).toEqual([]);
    expect(lastDraft).toEqual(draft);
    // The fields fill in over many parts, title first.
    expect(drafts.length).toBeGreaterThan(5);
    expect(drafts.some((partial) => (partial as typeof draft).title && !(partial as typeof draft).steps)).toBe(true);
    expect(chunks[0]!.at).toBeLessThan(call.finishedAt!);
    // The idea reached the model; the user's cookie did not.
    expect(JSON.stringify(call.body)).toContain("a quick weeknight dal");
    expect(call.headers.cookie).toBeUndefined();

    const [row] = await generationsOf(me.id);
    expect(row).toMatchObject({
      kind: "recipe-draft",
      model: "anthropic:claude-sonnet-4-5",
      status: "succeeded",
      inputTokens: FAKE_USAGE.input,
      outputTokens: FAKE_USAGE.output,
      error: null,
    });
  });

  it("sends the key to the provider and never to the browser", async () => {
    const POST = await loadRoute();
    const me = await cook();

    const response = await POST(me.request({ idea: "lemon pasta" }));
    const body = await response.text();

    expect(provider.calls.at(-1)!.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(body).not.toContain(ANTHROPIC_KEY);
    expect([...response.headers].join("\n")).not.toContain(ANTHROPIC_KEY);
  });

  it("aborts the provider call when the client disconnects", async () => {
    provider.respondWith({ kind: "stream", text: JSON.stringify(draft), chunkSize: 4, chunkDelayMs: 50 });
    const POST = await loadRoute();
    const me = await cook();
    const browser = new AbortController();

    const response = await POST(me.request({ idea: "slow-cooked beans" }, { signal: browser.signal }));
    const reader = response.body!.getReader();
    await reader.read();
    browser.abort();
    await reader.cancel().catch(() => {});

    const call = provider.calls.at(-1)!;
    await expect.poll(() => call.abortedAt, { timeout: 10_000 }).toBeDefined();
    expect(call.finishedAt).toBeUndefined();
    await expect.poll(async () => (await generationsOf(me.id))[0]?.status, { timeout: 10_000 }).toBe("aborted");
  });

  it("turns a provider 500 into a clear 502, records the failure, and does not spend the quota", async () => {
    provider.respondWith({ kind: "status", status: 500 });
    const POST = await loadRoute();
    const me = await cook();

    const response = await POST(me.request({ idea: "a quick weeknight dal" }));

    expect(response.status).toBe(502);
    const body = await response.json();
    expect(body.error).toMatch(/AI provider could not write a draft/);
    expect(JSON.stringify(body)).not.toContain("Internal server error");
    const [row] = await generationsOf(me.id);
    expect(row).toMatchObject({ status: "failed", error: "provider answered 500" });
    const { getAiUsage } = await import("@/lib/ai/quota");
    expect((await getAiUsage(db, me.id)).left).toBe(FREE_AI_DRAFTS_PER_DAY);
  });

  it("gives up on a provider that never answers: 504 within the timeout, never a hang", async () => {
    provider.respondWith({ kind: "hang" });
    const POST = await loadRoute({ AI_TIMEOUT_MS: "400" });
    const me = await cook();
    const started = Date.now();

    const response = await POST(me.request({ idea: "a quick weeknight dal" }));

    expect(response.status).toBe(504);
    expect((await response.json()).error).toMatch(/took too long/);
    // Far less than a hang (the provider never answers), with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await generationsOf(me.id))[0]).toMatchObject({ status: "failed", error: "timeout" });
    await expect.poll(() => provider.calls.at(-1)!.abortedAt, { timeout: 10_000 }).toBeDefined();
  });

  it("ends the stream with an error part when the provider stops answering mid-draft", async () => {
    provider.respondWith({ kind: "stream", text: JSON.stringify(draft), chunkSize: 10, chunkDelayMs: 150 });
    const POST = await loadRoute({ AI_TIMEOUT_MS: "500" });
    const me = await cook();

    const response = await POST(me.request({ idea: "a quick weeknight dal" }));

    expect(response.status).toBe(200);
    const { drafts, errors } = await readUiStream(response);
    expect(drafts.length).toBeGreaterThan(0);
    expect(errors).toEqual(["The AI model took too long to answer. Please try again."]);
    expect((await generationsOf(me.id))[0]).toMatchObject({ status: "failed", error: "timeout" });
  });
});

describe("who may draft, and how much", () => {
  it("refuses the signed-out (401), other content types (415), big bodies (413) and bad ideas (400)", async () => {
    const POST = await loadRoute();
    const anonymous = new Request("http://localhost/api/ai/draft-recipe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ idea: "soup" }),
    });
    expect((await POST(anonymous)).status).toBe(401);

    const me = await cook();
    expect((await POST(me.request("idea=soup", { contentType: "application/x-www-form-urlencoded" }))).status).toBe(
      415,
    );
    expect((await POST(me.request({ idea: "x".repeat(9000) }))).status).toBe(413);
    expect((await POST(me.request("{not json"))).status).toBe(400);
    const short = await POST(me.request({ idea: "ab" }));
    expect(short.status).toBe(400);
    expect((await short.json()).error.fieldErrors.idea).toEqual(["Describe the dish in at least 3 characters."]);
    expect(await generationsOf(me.id)).toEqual([]);
    expect(provider.calls.filter((call) => JSON.stringify(call.body).includes("soup"))).toEqual([]);
  });

  it("answers 429 with Retry-After once the Free plan's daily quota is used, and Pro gets more", async () => {
    const POST = await loadRoute();
    const me = await cook();
    for (let i = 0; i < FREE_AI_DRAFTS_PER_DAY; i++) {
      const response = await POST(me.request({ idea: `dish number ${i}` }));
      expect(response.status).toBe(200);
      await response.text();
    }

    const refused = await POST(me.request({ idea: "one more dish" }));

    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 60 * 60);
    expect((await refused.json()).error).toMatch(/used today's 5 AI drafts on the Free plan/);
    expect(await generationsOf(me.id)).toHaveLength(FREE_AI_DRAFTS_PER_DAY);

    await makePro(me.teamId);
    const asPro = await POST(me.request({ idea: "one more dish" }));
    expect(asPro.status).toBe(200);
    expect(asPro.headers.get("x-ai-drafts-left")).toBe(String(PRO_AI_DRAFTS_PER_DAY - FREE_AI_DRAFTS_PER_DAY - 1));
    await asPro.text();
  });

  it("answers 429 with Retry-After past the per-user burst limit", async () => {
    const POST = await loadRoute({ AI_BURST_LIMIT: "2" });
    const me = await cook();
    await (await POST(me.request({ idea: "first dish" }))).text();
    await (await POST(me.request({ idea: "second dish" }))).text();

    const third = await POST(me.request({ idea: "third dish" }));

    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await third.json()).error).toMatch(/Too many drafts at once/);
    expect(await generationsOf(me.id)).toHaveLength(2);
    // Another cook has a window of their own.
    const other = await cook();
    expect((await POST(other.request({ idea: "their dish" }))).status).toBe(200);
  });

  it("lets no more than the quota through when 20 requests arrive at once", async () => {
    // A generous model timeout: this test is about the quota, and on the single-connection
    // embedded database the 20 requests queue behind each other.
    const POST = await loadRoute({ AI_TIMEOUT_MS: "15000" });
    const me = await cook();

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => POST(me.request({ idea: `racing dish ${i}` }))),
    );
    await Promise.all(responses.map((response) => response.text()));

    const statuses = responses.map((response) => response.status);
    console.info(
      `[quota race] 20 at once against a quota of ${FREE_AI_DRAFTS_PER_DAY}: ${statuses.filter((s) => s === 200).length} × 200, ${statuses.filter((s) => s === 429).length} × 429`,
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(FREE_AI_DRAFTS_PER_DAY);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - FREE_AI_DRAFTS_PER_DAY);
    const rows = await generationsOf(me.id);
    expect(rows).toHaveLength(FREE_AI_DRAFTS_PER_DAY);
    expect(rows.every((row) => row.status === "succeeded")).toBe(true);
  });
});

describe("POST /api/ai/draft-recipe against an OpenAI-compatible Chat Completions API", () => {
  it("streams the draft through the OpenAI client with the key in its Authorization header", async () => {
    const POST = await loadRoute({
      AI_MODEL: "openai:gpt-4o-mini",
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `${providerUrl}/v1`,
    });
    const me = await cook();

    const response = await POST(me.request({ idea: "a quick weeknight dal" }));

    expect(response.status).toBe(200);
    const text = await response.clone().text();
    expect(text).not.toContain(OPENAI_KEY);
    expect((await readUiStream(response)).lastDraft).toEqual(draft);
    const call = provider.calls.at(-1)!;
    expect(call.path).toBe("/v1/chat/completions");
    expect(call.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect((await generationsOf(me.id))[0]).toMatchObject({
      model: "openai:gpt-4o-mini",
      status: "succeeded",
      inputTokens: FAKE_USAGE.input,
      outputTokens: FAKE_USAGE.output,
    });
  });
});
