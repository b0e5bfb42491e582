import { apiRoute, keyActor, parseInput } from "@/lib/api";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/webhooks-out";
import { webhookEndpointIdParams, webhookEndpointUpdate } from "@/lib/webhooks-out/schema";

// One endpoint of the key's team: another team's id is 404, as an unknown one is.

type Params = { id: string };

export const GET = apiRoute<Params>({ scope: "webhooks:write" }, async ({ db, caller, params }) => {
  const { id } = parseInput(webhookEndpointIdParams, params, "query");
  return Response.json(await getEndpoint(db, keyActor(caller), id));
});

export const PATCH = apiRoute<Params>(
  { scope: "webhooks:write", write: { body: true } },
  async ({ db, caller, params, input }) => {
    const { id } = parseInput(webhookEndpointIdParams, params, "query");
    return Response.json(await updateEndpoint(db, keyActor(caller), id, input(webhookEndpointUpdate)));
  },
);

export const DELETE = apiRoute<Params>(
  { scope: "webhooks:write", write: { body: false } },
  async ({ db, caller, params }) => {
    const { id } = parseInput(webhookEndpointIdParams, params, "query");
    await deleteEndpoint(db, keyActor(caller), id);
    return new Response(null, { status: 204 });
  },
);
