import { submitContactMessage } from "@/lib/contact";
import { CONTACT_MAX_BYTES, contactInput, filledHoneypot } from "@/lib/contact/schema";
import { invalidInput } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { db } from "@/lib/db";
import { clientIp, readJson, route } from "@/lib/http";
import { emailKey, enforceLimits, limiters, type RateLimiter } from "@/lib/ratelimit";

const TOO_MANY = "Too many messages.";

/**
 * The public contact form API: 200 once the message is stored; 400, 413, 415, 429 (with
 * Retry-After and RateLimit-* headers), or 503 when the database is down; never a 500.
 */
export const POST = route(
  { unavailable: "We could not save your message right now. Please try again in a minute." },
  async ({ req, requestId, headers }) => {
    // Before reading the body: the ceiling for all senders together, and the client IP when TRUST_PROXY names one.
    const ip = clientIp(req.headers);
    const beforeBody: [RateLimiter, string][] = [[limiters.contactGlobal, "all"]];
    if (ip) beforeBody.push([limiters.contact, `ip:${ip}`]);
    await enforceLimits(beforeBody, TOO_MANY, headers);

    const body = await readJson(req, CONTACT_MAX_BYTES);
    if (filledHoneypot(body)) {
      logger.info({ requestId, ip }, "contact form honeypot filled: ignored");
      return { ok: true };
    }
    const parsed = contactInput.safeParse(body);
    if (!parsed.success) throw invalidInput(parsed.error);
    // The sender's address is what a client cannot vary without the global ceiling catching up.
    await enforceLimits([[limiters.contact, emailKey(parsed.data.email)]], TOO_MANY, headers);

    await submitContactMessage(db, parsed.data, { ip, requestId });
    return { ok: true };
  },
);
