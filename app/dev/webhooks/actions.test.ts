import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { revalidatedPaths } from "@/tests/support/next/cache";
import { setEnv } from "@/tests/support/env";
import { form } from "@/tests/support/form";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { findEvent, handledCount, recordHandled, registerTestProvider, storeEvent } from "@/tests/support/webhooks";
import { replayWebhookEventAction } from "./actions";

const provider = registerTestProvider({ "thing.happened": recordHandled });
const deadEvent = () => storeEvent(provider, { status: "dead", attempts: 8, lastError: "the handler broke" });

describe("replayWebhookEventAction", () => {
  it("resets a dead event and processes it again after the response", async () => {
    const { id, eventId } = await deadEvent();

    const state = await replayWebhookEventAction({}, form({ id }));

    expect(state).toEqual({ ok: true, message: `Replaying thing.happened (${eventId}).` });
    expect(await findEvent(provider, eventId)).toMatchObject({
      status: "pending",
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(revalidatedPaths).toContain("/dev/webhooks");

    expect(await flushAfterResponse()).toBe(1);
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "processed", attempts: 1, lastError: null });
    expect(await handledCount(eventId)).toBe(1);
  });

  it("answers with an error for an id that is not a webhook event", async () => {
    expect((await replayWebhookEventAction({}, form({ id: "not-a-uuid" }))).fieldErrors?.id).toEqual([
      "Not a webhook event id.",
    ]);
    expect(await replayWebhookEventAction({}, form({ id: randomUUID() }))).toEqual({
      error: "That webhook event no longer exists.",
    });
    expect(await flushAfterResponse()).toBe(0);
  });

  it("refuses when developer tools are disabled (production without ENABLE_DEV_TOOLS)", async () => {
    const { id, eventId } = await deadEvent();
    setEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "x".repeat(40),
      VERCEL: undefined,
      RENDER: undefined,
      ENABLE_DEV_TOOLS: undefined,
    });

    // notFound(): the same 404 as the pages (Next's error, or the Vitest stand-in's).
    await expect(replayWebhookEventAction({}, form({ id }))).rejects.toThrow(
      /NEXT_NOT_FOUND|NEXT_HTTP_ERROR_FALLBACK;404/,
    );
    expect(await findEvent(provider, eventId)).toMatchObject({ status: "dead", attempts: 8 });
    expect(await flushAfterResponse()).toBe(0);
  });
});
