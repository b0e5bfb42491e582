"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { can, requireMembership } from "@/lib/teams";
import { teamRef } from "@/lib/teams/schema";
import {
  createEndpoint,
  deleteEndpoint,
  replayMessage,
  rotateEndpointSecret,
  sendTestEvent,
  svixPortalUrl,
  updateEndpoint,
} from "@/lib/webhooks-out";
import {
  endpointEditForm,
  endpointForm,
  endpointRef,
  endpointTest,
  endpointToggle,
  messageReplay,
} from "@/lib/webhooks-out/schema";

// Each form names its team; lib/webhooks-out checks the caller is its owner or admin in the statement that acts.

async function refresh(teamId: string, userId: string, endpointId?: string) {
  const { slug } = await requireMembership(db, teamId, userId);
  revalidatePath(`/t/${slug}/webhooks`);
  if (endpointId) revalidatePath(`/t/${slug}/webhooks/${endpointId}`);
  return slug;
}

/** The secret, shown this once: receivers verify every delivery with it. */
const revealSecret = (value: string) => ({ label: "Signing secret", value });

export const createEndpointAction = validatedActionWithUser(endpointForm, async ({ teamId, endpoint }, user) => {
  const created = await createEndpoint(db, { teamId, userId: user.id }, endpoint);
  await refresh(teamId, user.id);
  return { ok: true, message: "Endpoint added.", reveal: revealSecret(created.secret) };
});

export const updateEndpointAction = validatedActionWithUser(
  endpointEditForm,
  async ({ teamId, endpoint, endpointId }, user) => {
    await updateEndpoint(db, { teamId, userId: user.id }, endpointId, endpoint);
    await refresh(teamId, user.id, endpointId);
    return { ok: true, message: "Endpoint saved." };
  },
);

export const toggleEndpointAction = validatedActionWithUser(
  endpointToggle,
  async ({ teamId, endpointId, enabled }, user) => {
    await updateEndpoint(db, { teamId, userId: user.id }, endpointId, { enabled });
    await refresh(teamId, user.id, endpointId);
    return {
      ok: true,
      message: enabled ? "Turned on: the next changes go to it." : "Turned off: nothing is sent to it.",
    };
  },
);

export const rotateSecretAction = validatedActionWithUser(endpointRef, async ({ teamId, endpointId }, user) => {
  const rotated = await rotateEndpointSecret(db, { teamId, userId: user.id }, endpointId);
  await refresh(teamId, user.id, endpointId);
  return {
    ok: true,
    message: "New secret made. For 24 hours every delivery is signed with both the old and the new one.",
    reveal: revealSecret(rotated.secret),
  };
});

export const sendTestAction = validatedActionWithUser(endpointTest, async ({ teamId, endpointId, type }, user) => {
  const { message_id } = await sendTestEvent(db, { teamId, userId: user.id }, endpointId, { type: type || undefined });
  await refresh(teamId, user.id, endpointId);
  return { ok: true, message: `Test event ${message_id} queued: it appears in the deliveries below.` };
});

export const replayAction = validatedActionWithUser(messageReplay, async ({ teamId, endpointId, messageId }, user) => {
  await replayMessage(db, { teamId, userId: user.id }, endpointId, messageId);
  await refresh(teamId, user.id, endpointId);
  return { ok: true, message: `Sending ${messageId} again.` };
});

export const deleteEndpointAction = validatedActionWithUser(endpointRef, async ({ teamId, endpointId }, user) => {
  await deleteEndpoint(db, { teamId, userId: user.id }, endpointId);
  redirect(`/t/${await refresh(teamId, user.id)}/webhooks`);
});

/** With Svix delivering: off to its app portal, where the team's admins manage endpoints and see deliveries. */
export const openSvixPortalAction = validatedActionWithUser(teamRef, async ({ teamId }, user) => {
  const team = await requireMembership(db, teamId, user.id);
  if (!can(team.role, "webhooks:manage")) return { error: "Only the team's owners and admins manage its webhooks." };
  redirect(await svixPortalUrl({ id: team.id, name: team.name }));
});
