import "server-only";
import type { PostHog } from "posthog-node";
import { env } from "@/lib/core/env";
import { runAfterResponse } from "@/lib/jobs/after";
import { logger } from "@/lib/core/logger";

/** The product events this app records: a closed list, so a typo is a type error, not a new event. */
export type ProductEvent =
  "user signed up" | "recipe created" | "recipe published" | "checkout completed" | "ai draft generated";

/** Ids, counts and names only: never an email, a title or anything a user typed. */
export type ProductEventProperties = Record<string, string | number | boolean | null>;

const POSTHOG_TIMEOUT_MS = 3_000;

/** posthog-node is imported only with POSTHOG_KEY: without it, nothing of it loads. */
async function createPostHogClient(key: string): Promise<PostHog> {
  const { PostHog } = await import("posthog-node");
  const client = new PostHog(key, {
    host: env.POSTHOG_HOST ?? "https://us.i.posthog.com",
    // Serverless: send each event at once rather than batching in a process that may be frozen.
    flushAt: 1,
    flushInterval: 0,
    requestTimeout: POSTHOG_TIMEOUT_MS,
    fetchRetryCount: 1,
  });
  client.on("error", (error: unknown) =>
    logger.warn({ err: error, feature: "posthog" }, "PostHog did not take an event"),
  );
  return client;
}

/**
 * The PostHog client, or null without POSTHOG_KEY (the local default: events
 * are not sent anywhere; a debug line notes each one). It holds no queue
 * (every event is sent on its own), so a copy per Next bundle costs nothing.
 */
export const posthog: PostHog | null = env.POSTHOG_KEY ? await createPostHogClient(env.POSTHOG_KEY) : null;

export const isPostHogConfigured = (): boolean => posthog !== null;

/**
 * Records a product event for a user. Inside a request it is sent after the
 * response (`after()`), so it adds nothing to the user's wait; outside one (a
 * Trigger.dev job, a script) it is sent now, and awaiting this waits for it.
 * Never throws: analytics must not break the thing it measures.
 */
export async function trackProductEvent(
  userId: string,
  event: ProductEvent,
  properties: ProductEventProperties = {},
): Promise<void> {
  const client = posthog;
  if (!client) {
    logger.debug({ userId, event }, "product event (POSTHOG_KEY unset: not sent)");
    return;
  }
  const send = async () => {
    try {
      await client.captureImmediate({ distinctId: userId, event, properties });
    } catch (error) {
      logger.warn({ err: error, event, feature: "posthog" }, "product event not sent");
    }
  };
  try {
    runAfterResponse(send);
  } catch {
    await send();
  }
}
