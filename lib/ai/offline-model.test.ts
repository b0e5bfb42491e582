import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { readUiStream } from "@/tests/support/ui-stream";
import { signUpTestUser } from "@/tests/support/users";
import { OFFLINE_LABEL } from "./offline-model";

let POST: typeof import("@/app/api/ai/draft-recipe/route").POST;
let model: typeof import("./model");
// The first import of the route and the first query (the embedded database starting) are slow on a busy machine: pay them here.
// lib/ai/model.ts picks the model from env at import, so the route and the model are imported again with no AI variables.
beforeAll(async () => {
  for (const name of ["AI_MODEL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"]) vi.stubEnv(name, "");
  vi.resetModules();
  POST = (await import("@/app/api/ai/draft-recipe/route")).POST;
  model = await import("./model");
  await db.select().from(schema.aiGenerations).limit(1);
});
afterAll(() => vi.unstubAllEnvs());

describe("with no AI_MODEL and no key: the offline model", () => {
  it("streams a clearly labelled sample draft built from the idea, through the same route", async () => {
    const { aiModelName, isAiProviderConfigured } = model;
    expect(aiModelName).toBe("offline:sample-drafts");
    expect(isAiProviderConfigured).toBe(false);
    const me = await signUpTestUser();
    const cookie = (await fakeBrowserHeaders()).get("cookie")!;

    const started = Date.now();
    const response = await POST(
      new Request("http://localhost/api/ai/draft-recipe", {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ idea: "a quick weeknight dal" }),
      }),
    );
    const { chunks, drafts, lastDraft } = await readUiStream(response);
    const firstByteMs = chunks[0]!.at - started;
    const totalMs = chunks.at(-1)!.at - started;
    console.info(
      `[offline draft] first part after ${firstByteMs.toFixed(0)} ms, complete after ${totalMs.toFixed(0)} ms`,
    );

    expect(response.status).toBe(200);
    expect(drafts.length).toBeGreaterThan(10);
    expect(totalMs - firstByteMs).toBeGreaterThan(200);
    expect(lastDraft).toMatchObject({
      title: "Sample: Quick weeknight dal",
      description: expect.stringContaining(`${OFFLINE_LABEL} for "a quick weeknight dal"`),
    });
    const draft = lastDraft as { ingredients: string[]; steps: string[] };
    expect(draft.ingredients.length).toBeGreaterThan(2);
    expect(draft.steps.length).toBeGreaterThan(2);
    const [row] = await db.select().from(schema.aiGenerations).where(eq(schema.aiGenerations.userId, me.id));
    expect(row).toMatchObject({ model: "offline:sample-drafts", status: "succeeded" });
    expect(row!.outputTokens).toBeGreaterThan(0);
  });
});
