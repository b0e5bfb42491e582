import { z } from "zod";
import { submitContactMessage } from "@/lib/contact";
import { CONTACT_MAX_BYTES, HONEYPOT_FIELD, contactInput } from "@/lib/contact/schema";
import { readJsonBody } from "@/lib/http";
import { runAfterResponse } from "@/lib/jobs/after";
import { logger } from "@/lib/logger";
import { clientIp, emailKey, limitAll, limiters, rateLimitHeaders, type RateLimiter } from "@/lib/ratelimit";
import { requestIdFrom } from "@/lib/request-id";
import { db } from "@/lib/db";

/**
 * The public contact form API. Every answer is one of the contract's codes:
 * 200, 400, 413, 415, 429, or 503 when the database is down; never a 500.
 */
export async function POST(req: Request) {
  const requestId = requestIdFrom(req.headers);
  const ip = clientIp(req.headers);
  let headers: Record<string, string> = { "x-request-id": requestId };
  const reply = (status: number, body: unknown) => Response.json(body, { status, headers });
  // Every check counts the request; the headers report the tightest of them.
  const overLimit = async (checks: [RateLimiter, string][]) => {
    const limit = await limitAll(checks);
    runAfterResponse(async () => void (await limit.pending));
    headers = { ...headers, ...rateLimitHeaders(limit) };
    return !limit.success;
  };
  const tooMany = { error: "Too many messages. Please wait a moment and try again." };

  // Before reading the body: the ceiling for all senders together, and the client IP when TRUST_PROXY names one.
  const beforeBody: [RateLimiter, string][] = [[limiters.contactGlobal, "all"]];
  if (ip) beforeBody.push([limiters.contact, `ip:${ip}`]);
  if (await overLimit(beforeBody)) return reply(429, tooMany);
  const read = await readJsonBody(req, CONTACT_MAX_BYTES);
  if ("refusal" in read) return reply(read.refusal.status, { error: read.refusal.error });
  const { body } = read;

  // Bots fill in the hidden field: answer as if it worked, and keep nothing.
  if (
    typeof body === "object" &&
    body !== null &&
    HONEYPOT_FIELD in body &&
    (body as Record<string, unknown>)[HONEYPOT_FIELD]
  ) {
    logger.info({ requestId, ip }, "contact form honeypot filled: ignored");
    return reply(200, { ok: true });
  }

  const parsed = contactInput.safeParse(body);
  if (!parsed.success) return reply(400, { error: z.flattenError(parsed.error) });
  // The sender's address is what a client cannot vary without the global ceiling catching up.
  if (await overLimit([[limiters.contact, emailKey(parsed.data.email)]])) return reply(429, tooMany);

  try {
    await submitContactMessage(db, parsed.data, { ip, requestId });
  } catch (error) {
    logger.error({ err: error, requestId }, "contact message not stored: database unavailable");
    return Response.json(
      { error: "We could not save your message right now. Please try again in a minute." },
      { status: 503, headers: { ...headers, "Retry-After": "60" } },
    );
  }
  return reply(200, { ok: true });
}
