import { apiRoute, keyActor } from "@/lib/api";
import { createEndpoint, listEndpoints } from "@/lib/webhooks-out";
import { webhookEndpointCreate } from "@/lib/webhooks-out/schema";

// The key's team's outbound webhook endpoints: the same lib/webhooks-out functions as the team's
// Webhooks page. The `webhooks:write` scope stands in for the owner or admin role there.

export const GET = apiRoute({ scope: "webhooks:write" }, async ({ db, caller }) =>
  Response.json({ data: await listEndpoints(db, keyActor(caller)) }),
);

/** Adds an endpoint: the answer holds its signing secret, the only time it is shown. */
export const POST = apiRoute({ scope: "webhooks:write", write: { body: true } }, async ({ req, db, caller, input }) => {
  const endpoint = await createEndpoint(db, keyActor(caller), input(webhookEndpointCreate));
  return Response.json(endpoint, {
    status: 201,
    headers: { Location: new URL(`/api/v1/webhook-endpoints/${endpoint.id}`, req.url).pathname },
  });
});
