import { apiRoute, keyActor, parseInput } from "@/lib/api";
import { sendTestEvent } from "@/lib/webhooks-out";
import { webhookEndpointIdParams, webhookTestRequest } from "@/lib/webhooks-out/schema";

/** Sends a test event to this endpoint only (`webhook.test`, or a type's sample): 202, delivered in the background. */
export const POST = apiRoute<{ id: string }>(
  { scope: "webhooks:write", write: { body: true } },
  async ({ db, caller, params, input }) => {
    const { id } = parseInput(webhookEndpointIdParams, params, "query");
    const queued = await sendTestEvent(db, keyActor(caller), id, input(webhookTestRequest.default({})));
    return Response.json(queued, { status: 202 });
  },
);
