import { randomUUID } from "node:crypto";
import * as Sentry from "@sentry/nextjs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signUpAction } from "@/app/(auth)/actions";
import { GET as throwTestError } from "@/app/api/dev/test-error/route";
import { db, schema } from "@/lib/db";
import { MAX_WEBHOOK_ATTEMPTS, processWebhookEvent } from "@/lib/webhooks";
import { cookieJar } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { registerTestProvider, storeEvent } from "@/tests/support/webhooks";
import { isPostHogConfigured, posthog, trackProductEvent } from "./analytics";
import { isSentryConfigured, reportError, startServerSentry } from "./sentry";
import { form } from "@/tests/support/form";

// The local default: no DSN and no key, as after a fresh clone (and in CI's build).
vi.hoisted(() => {
  for (const name of ["SENTRY_DSN", "NEXT_PUBLIC_SENTRY_DSN", "POSTHOG_KEY", "POSTHOG_HOST"]) delete process.env[name];
});

const outgoing = vi.spyOn(globalThis, "fetch");
beforeAll(() => db.select().from(schema.user).limit(1));
afterEach(() => outgoing.mockClear());

describe("with no SENTRY_DSN and no POSTHOG_KEY", () => {
  it("starts neither SDK", async () => {
    await startServerSentry();
    expect(isSentryConfigured()).toBe(false);
    expect(Sentry.getClient()).toBeUndefined();
    expect(isPostHogConfigured()).toBe(false);
    expect(posthog).toBeNull();
  });

  it("a thrown test error and a dead webhook are handled as before, and nothing is sent", async () => {
    const response = await throwTestError(new Request("http://localhost/api/dev/test-error"));
    expect(response.status).toBe(500);
    await expect(reportError(new Error("a job failed"), { job: "send-email" })).resolves.toBeUndefined();

    const provider = registerTestProvider({
      "thing.happened": async () => {
        throw new Error("the handler broke");
      },
    });
    const { eventId } = await storeEvent(provider, { status: "failed", attempts: MAX_WEBHOOK_ATTEMPTS - 1 });
    expect(await processWebhookEvent(db, provider, eventId)).toMatchObject({ status: "dead" });
    expect(outgoing).not.toHaveBeenCalled();
  });

  it("sign-up works and queues no product event", async () => {
    await flushAfterResponse();
    cookieJar.clear();
    const email = `cook-${randomUUID()}@example.test`;
    await expect(signUpAction({}, form({ name: "Ann", email, password: "long-enough" }))).resolves.toMatchObject({
      ok: true,
    });
    await expect(trackProductEvent("user-1", "recipe created")).resolves.toBeUndefined();
    // posthog-node posts with fetch: nothing went out, before or after the response.
    await flushAfterResponse();
    expect(outgoing).not.toHaveBeenCalled();
  });
});
