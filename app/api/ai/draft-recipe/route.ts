import { createUIMessageStreamResponse } from "ai";
import { draftRecipe } from "@/lib/ai";
import { DRAFT_REQUEST_MAX_BYTES, draftRequest } from "@/lib/ai/schema";
import { signedIn } from "@/lib/auth";
import { db } from "@/lib/db";
import { readJsonInput, route } from "@/lib/http";
import { enforceLimits, limiters } from "@/lib/ratelimit";
import { personalTeamOf, requireMembership, TeamNotFoundError } from "@/lib/teams";

// A draft streams for a few seconds; this is the ceiling a serverless host allows the function (Vercel).
export const maxDuration = 60;

/**
 * Streams a recipe draft from the model into the new-recipe form (a UI message stream whose
 * `data-draft` part grows). Refusals: 401, 415, 413, 400, 429 (burst limit or daily quota, with
 * Retry-After), 502/504 when the model fails before the first token; after it, an error part in the stream.
 */
export const POST = route(
  { authenticate: signedIn("Sign in to draft recipes with AI.") },
  async ({ req, requestId, caller: session, headers }) => {
    const userId = session.user.id;
    await enforceLimits([[limiters.aiDraft, `user:${userId}`]], "Too many drafts at once.", headers);
    const { idea, teamId } = await readJsonInput(req, draftRequest, DRAFT_REQUEST_MAX_BYTES);
    const team = teamId ? await requireMembership(db, teamId, userId) : await personalTeamOf(db, userId);
    if (!team) throw new TeamNotFoundError();
    const draft = await draftRecipe(db, { teamId: team.id, userId, idea, signal: req.signal, requestId });
    return createUIMessageStreamResponse({
      stream: draft.stream,
      headers: { "x-ai-drafts-left": String(draft.draftsLeft) },
    });
  },
);
