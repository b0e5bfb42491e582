import "server-only";
import type { Executor } from "@/lib/db";
import type { WebhookEvent } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { publishRealtimeEvent } from "@/lib/realtime";

/** Tells /dev/webhooks that an inbox row changed status (dev tools only; webhooks belong to no user). */
export async function announceWebhookStatus(
  tx: Executor,
  event: Pick<WebhookEvent, "id" | "provider" | "type">,
  status: WebhookEvent["status"],
): Promise<void> {
  if (!env.devToolsEnabled) return;
  await publishRealtimeEvent(tx, "dev-tools", "webhook.status", {
    id: event.id,
    provider: event.provider,
    type: event.type,
    status,
  });
}
