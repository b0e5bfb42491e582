import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/core/env";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * True when the request carries `Authorization: Bearer <CRON_SECRET>`, as
 * Vercel Cron (and the Render cron job) send it. Without CRON_SECRET nothing passes.
 */
export function isAuthorizedCronRequest(headers: Headers): boolean {
  const secret = env.CRON_SECRET;
  const authorization = headers.get("authorization");
  if (!secret || !authorization) return false;
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  return timingSafeEqual(digest(authorization), digest(`Bearer ${secret}`));
}
