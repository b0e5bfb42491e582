import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { signUpAction } from "@/app/(auth)/actions";
import { POST as draftRecipe } from "@/app/api/ai/draft-recipe/route";
import { createRecipeAction, setPublishedAction } from "@/app/t/[team]/actions";
import { db, schema } from "@/lib/db";
import { eventually } from "@/tests/support/fake-ingest";
import { cookieJar, headers as fakeBrowserHeaders } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { readUiStream } from "@/tests/support/ui-stream";
import { signUpTestUser } from "@/tests/support/users";
import { posthog } from "./analytics";
import { form } from "@/tests/support/form";

// The real posthog-node client, pointed by POSTHOG_HOST at a local stand-in for PostHog's capture endpoint.
const ingest = await vi.hoisted(async () => {
  const { startFakeIngest } = await import("../../tests/support/fake-ingest");
  const started = await startFakeIngest();
  process.env.POSTHOG_KEY = "phc_test_project_key";
  process.env.POSTHOG_HOST = started.url;
  return started;
});

/** Lets any request an SDK still had in flight arrive, so "exactly one" means one. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeEach(async () => {
  await flushAfterResponse();
  await settle();
  ingest.clear();
});
afterAll(async () => {
  await posthog?.shutdown();
  await ingest.close();
});

describe("product events in PostHog, with POSTHOG_KEY set", () => {
  it("sends `user signed up` once, keyed by the new user's id, after the response and without the email", async () => {
    cookieJar.clear();
    const email = `cook-${randomUUID()}@example.test`;
    await expect(signUpAction({}, form({ name: "Ann", email, password: "long-enough" }))).resolves.toMatchObject({
      ok: true,
    });
    const [user] = await db.select().from(schema.user).where(eq(schema.user.email, email));

    // Nothing leaves while the response is still being sent.
    await settle();
    expect(ingest.posthogEvents("user signed up")).toEqual([]);

    await flushAfterResponse();
    const [event] = await eventually(() => ingest.posthogEvents("user signed up").length > 0 && ingest.posthogEvents());
    await settle();
    expect(ingest.posthogEvents("user signed up")).toHaveLength(1);
    expect(event!.distinct_id).toBe(user!.id);
    expect(event!.raw).not.toContain(email);
  });

  it("sends `recipe created` and `recipe published` for the author, with the recipe id", async () => {
    const cook = await signUpTestUser();
    await flushAfterResponse();
    await settle();
    ingest.clear();

    await expect(
      createRecipeAction(
        {},
        form({ teamId: cook.teamId, title: "Tomato soup", description: "Warm.", ingredients: "tomatoes" }),
      ),
    ).rejects.toEqual(new RedirectSignal(`/t/${cook.teamSlug}`));
    const [recipe] = await db.select().from(schema.recipes).where(eq(schema.recipes.createdBy, cook.id));
    expect(
      await setPublishedAction({}, form({ teamId: cook.teamId, id: recipe!.id, published: "true" })),
    ).toMatchObject({ ok: true });
    await flushAfterResponse();

    await eventually(() => ingest.posthogEvents().length >= 2);
    await settle();
    // Both leave after the responses, concurrently: compare them in a fixed order.
    const events = ingest.posthogEvents().map((event) => [event.event, event.distinct_id, event.properties?.recipeId]);
    expect(events.sort()).toEqual([
      ["recipe created", cook.id, recipe!.id],
      ["recipe published", cook.id, recipe!.id],
    ]);
    expect(JSON.stringify(ingest.posthogEvents())).not.toContain("Tomato soup");
  });

  it("sends `ai draft generated` once the draft has streamed, with the generation id and token counts", async () => {
    const cook = await signUpTestUser();
    await flushAfterResponse();
    await settle();
    ingest.clear();

    // No AI key here: the offline model writes the draft, through the same route and bookkeeping.
    const response = await draftRecipe(
      new Request("http://localhost/api/ai/draft-recipe", {
        method: "POST",
        headers: { cookie: (await fakeBrowserHeaders()).get("cookie")!, "content-type": "application/json" },
        body: JSON.stringify({ idea: "a quick lentil soup" }),
      }),
    );
    expect(response.status).toBe(200);
    await readUiStream(response);
    await flushAfterResponse();

    const [event] = await eventually(
      () => ingest.posthogEvents("ai draft generated").length > 0 && ingest.posthogEvents(),
    );
    const [generation] = await db.select().from(schema.aiGenerations).where(eq(schema.aiGenerations.userId, cook.id));
    expect(event).toMatchObject({ distinct_id: cook.id, properties: { generationId: generation!.id } });
    expect(event!.raw).not.toContain("lentil");
  });
});
