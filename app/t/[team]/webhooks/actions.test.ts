import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listDevWebhookArrivals } from "@/lib/dev-tools";
import { listEndpoints } from "@/lib/webhooks-out";
import { signatureHeaders } from "@/lib/webhooks-out/signing";
import { POST as receive } from "@/app/dev/webhook-receiver/inbox/route";
import { form } from "@/tests/support/form";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { setEnv } from "@/tests/support/env";
import { signUpTestUser } from "@/tests/support/users";
import { drainJobs, webhookTeam } from "@/tests/support/webhooks-out";
import {
  createEndpointAction,
  deleteEndpointAction,
  rotateSecretAction,
  sendTestAction,
  toggleEndpointAction,
} from "./actions";

beforeAll(() => signUpTestUser(), 180_000);

describe("the Webhooks page's actions", () => {
  it("an admin adds an endpoint and sees its secret once; a member is refused; bad input gets field errors", async () => {
    const { team, admin, cook } = await webhookTeam();
    const fields = { teamId: team.id, url: "https://hooks.example.com/in", description: "Orders", allEvents: "on" };

    cook.actAs();
    expect(await createEndpointAction({}, form(fields))).toMatchObject({
      error: "Only the team's owners and admins manage its webhooks.",
    });

    admin.actAs();
    const created = await createEndpointAction({}, form(fields));
    expect(created).toMatchObject({
      ok: true,
      reveal: { label: "Signing secret", value: expect.stringMatching(/^whsec_/) },
    });
    const [endpoint] = await listEndpoints(db, { teamId: team.id });
    expect(endpoint).toMatchObject({ url: fields.url, description: "Orders", event_types: null });

    expect(await createEndpointAction({}, form({ ...fields, url: "ftp://x.example.com/" }))).toMatchObject({
      fieldErrors: { url: ["Only http:// and https:// URLs can receive webhooks."] },
    });
    expect(await createEndpointAction({}, form({ teamId: team.id, url: "https://h.example.com/" }))).toMatchObject({
      fieldErrors: { eventTypes: ["Choose at least one event type, or all of them."] },
    });

    const rotated = await rotateSecretAction({}, form({ teamId: team.id, endpointId: endpoint!.id }));
    expect(rotated.reveal?.value).toMatch(/^whsec_/);
    expect(rotated.reveal?.value).not.toBe(created.reveal?.value);
    expect(
      await toggleEndpointAction({}, form({ teamId: team.id, endpointId: endpoint!.id, enabled: "false" })),
    ).toMatchObject({
      ok: true,
    });
    expect((await listEndpoints(db, { teamId: team.id }))[0]).toMatchObject({
      enabled: false,
      disabled_reason: "manual",
    });
    expect(await sendTestAction({}, form({ teamId: team.id, endpointId: endpoint!.id, type: "" }))).toMatchObject({
      ok: true,
    });
    await drainJobs();

    const signal = await deleteEndpointAction({}, form({ teamId: team.id, endpointId: endpoint!.id })).catch(
      (e: unknown) => e,
    );
    expect(signal).toBeInstanceOf(RedirectSignal);
    expect((signal as RedirectSignal).url).toBe(`/t/${team.slug}/webhooks`);
    expect(await listEndpoints(db, { teamId: team.id })).toEqual([]);
  });
});

describe("/dev/webhook-receiver", () => {
  it("verifies a delivery with the secret of the endpoint pointing at it, and lists it; refuses a forged one", async () => {
    const { team, admin } = await webhookTeam();
    admin.actAs();
    const url = "http://localhost:3000/dev/webhook-receiver/inbox";
    const secret = (await createEndpointAction({}, form({ teamId: team.id, url, allEvents: "on" }))).reveal?.value;
    const body = JSON.stringify({ type: "recipe.published", timestamp: new Date().toISOString(), data: { id: "r1" } });
    const post = (headers: Record<string, string>, at = url) =>
      receive(new Request(at, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }));

    const good = await post(signatureHeaders([secret!], "msg_dev1", body));
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ verified: true });
    const forged = await post(
      signatureHeaders(["whsec_" + Buffer.from("not the secret at all!!!").toString("base64")], "msg_dev2", body),
    );
    expect(forged.status).toBe(401);
    // ?status= makes a verified delivery fail on purpose (to watch retries).
    expect((await post(signatureHeaders([secret!], "msg_dev3", body), `${url}?status=503`)).status).toBe(503);

    const listed = listDevWebhookArrivals();
    expect(listed.slice(0, 3).map((a) => [a.webhookId, a.verified, a.answered])).toEqual([
      ["msg_dev3", true, 503],
      ["msg_dev2", false, 401],
      ["msg_dev1", true, 200],
    ]);
    expect(listed[2]).toMatchObject({ type: "recipe.published" });

    setEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "a-production-secret-for-this-test-only-0123456789",
      ENABLE_DEV_TOOLS: undefined,
    });
    // Dev tools off: Next's 404 (notFound()).
    await expect(post(signatureHeaders([secret!], "msg_dev4", body))).rejects.toThrow("NEXT_NOT_FOUND");
  });
});
