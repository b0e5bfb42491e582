import { apiRoute, keyActor, parseInput } from "@/lib/api";
import { rotateEndpointSecret } from "@/lib/webhooks-out";
import { webhookEndpointIdParams } from "@/lib/webhooks-out/schema";

/** A new signing secret, in this answer only; the previous one keeps signing beside it for 24 hours. */
export const POST = apiRoute<{ id: string }>(
  { scope: "webhooks:write", write: { body: false } },
  async ({ db, caller, params }) => {
    const { id } = parseInput(webhookEndpointIdParams, params, "query");
    return Response.json(await rotateEndpointSecret(db, keyActor(caller), id));
  },
);
