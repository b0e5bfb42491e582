import { createUIMessageStreamResponse } from "ai";
import { draftRecipe } from "@/lib/ai/draft";
import { DRAFT_REQUEST_MAX_BYTES, draftRequest } from "@/lib/ai/schema";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";
import { parseJsonBody } from "@/lib/http";
import { runAfterResponse } from "@/lib/jobs/after";
import { limiters, rateLimitHeaders } from "@/lib/ratelimit";
import { requestIdFrom } from "@/lib/request-id";

// A draft streams for a few seconds; this is the ceiling a serverless host allows the function (Vercel).
export const maxDuration = 60;

/**
 * Streams a recipe draft from the model into the new-recipe form (a UI
 * message stream whose `data-draft` part grows). Codes: 401, 415, 413, 400,
 * 429 (burst limit or daily quota, with Retry-After), 502/504 when the model
 * fails before the first token; after it, an error part inside the stream.
 */
export async function POST(req: Request) {
  const requestId = requestIdFrom(req.headers);
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    Response.json(body, { status, headers: { ...headers, "x-request-id": requestId } });

  const session = await auth.api.getSession({ headers: req.headers });
  if (!session) return reply(401, { error: "Sign in to draft recipes with AI." });
  const userId = session.user.id;

  const burst = await limiters.aiDraft.limit(`user:${userId}`);
  runAfterResponse(async () => void (await burst.pending));
  if (!burst.success) {
    return reply(429, { error: "Too many drafts at once. Wait a moment and try again." }, rateLimitHeaders(burst));
  }

  const parsed = await parseJsonBody(req, draftRequest, DRAFT_REQUEST_MAX_BYTES);
  if ("refusal" in parsed) return reply(parsed.refusal.status, { error: parsed.refusal.error });

  const result = await draftRecipe(db, { userId, idea: parsed.data.idea, signal: req.signal, requestId });
  switch (result.kind) {
    case "quota-exceeded":
      return reply(
        429,
        { error: result.message, quota: result.quota },
        { "Retry-After": String(result.retryAfterSeconds) },
      );
    case "failed":
      return reply(result.status, { error: result.message });
    case "streaming":
      return createUIMessageStreamResponse({
        stream: result.stream,
        headers: { "x-request-id": requestId, "x-ai-drafts-left": String(result.draftsLeft) },
      });
  }
}
