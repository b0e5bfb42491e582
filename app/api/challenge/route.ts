import { connection } from "next/server";
import { route } from "@/lib/http";
import { createProofOfWorkChallenge } from "@/lib/ratelimit";

/**
 * A proof-of-work challenge (ALTCHA) for the sign-in forms' widget, and for any client that a ceiling
 * answered with 429 `CHALLENGE_REQUIRED`: solve it, then send the payload as `X-Altcha` (or the form's
 * `altcha` field). Signed and random, so it costs the server one HMAC and is never cached.
 */
export const GET = route(async () => {
  // Never prerendered: every call is a new challenge.
  await connection();
  return Response.json(await createProofOfWorkChallenge(), { headers: { "cache-control": "no-store" } });
});
