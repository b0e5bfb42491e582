"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey } from "@/lib/api";
import { apiKeyRef, createApiKeyInput } from "@/lib/api/schema";
import { validatedActionWithUser } from "@/lib/actions";
import { db } from "@/lib/db";
import { requireMembership } from "@/lib/teams";

async function refresh(teamId: string, userId: string) {
  revalidatePath(`/t/${(await requireMembership(db, teamId, userId)).slug}/api-keys`);
}

export const createApiKeyAction = validatedActionWithUser(createApiKeyInput, async ({ teamId, ...key }, user) => {
  const created = await createApiKey(db, { teamId, userId: user.id }, key);
  await refresh(teamId, user.id);
  return {
    ok: true,
    message: `Key “${key.name}” created. Copy it now: it is shown only this once.`,
    reveal: { label: "Your new API key", value: created.key },
  };
});

export const revokeApiKeyAction = validatedActionWithUser(apiKeyRef, async ({ teamId, keyId }, user) => {
  const revoked = await revokeApiKey(db, { teamId, userId: user.id }, keyId);
  await refresh(teamId, user.id);
  return { ok: true, message: `Key “${revoked.name ?? "API key"}” revoked: its next request is refused.` };
});
