import "server-only";
import { createHmac } from "node:crypto";
import { createChallenge, verifySolution, type Challenge, type Payload } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { env } from "@/lib/core/env";
import { enforceLimits, RateLimitedError } from "./enforce";
import { limiters, PROOF_OF_WORK_SECONDS } from "./rules";

/**
 * Proof of work (ALTCHA): the way past a global ceiling for a person, while a flood is refused. The
 * server hands out challenges signed with a key of its own (derived from the auth secret: no account,
 * no third party); the browser's widget searches for the solution in a Web Worker; the server checks it
 * with one key derivation and takes each solution once. The difficulty is a second or so of one core
 * in a browser, and about as much for a script: cheap for a person, costly per request for a flood.
 */

/** Where the widget fetches a challenge (app/api/challenge), also named in every 429 that asks for one. */
export const CHALLENGE_PATH = "/api/challenge";
/** The request header an API client sends the solved payload in (the forms send it as the `altcha` field). */
export const PROOF_OF_WORK_HEADER = "x-altcha";

/** PBKDF2 rounds per attempt, and the hex prefix the derived key must start with (1 in 4,096 attempts). */
const COST = 500;
const KEY_PREFIX = "000";

/** The challenges' signing key: the auth secret, put through HMAC with a label, so neither reveals the other. */
const signingKey = () => createHmac("sha256", env.authSecret).update("recipe-box proof-of-work").digest("hex");

/** A new challenge for the widget (`GET /api/challenge`): random, signed, valid for PROOF_OF_WORK_SECONDS. */
export function createProofOfWorkChallenge(): Promise<Challenge> {
  return createChallenge({
    algorithm: "PBKDF2/SHA-256",
    cost: COST,
    keyPrefix: KEY_PREFIX,
    deriveKey,
    hmacSignatureSecret: signingKey(),
    expiresAt: new Date(Date.now() + PROOF_OF_WORK_SECONDS * 1000),
  });
}

/** The widget's payload (base64 of `{ challenge, solution }`), or null when it is not one. */
function parsePayload(payload: string): Payload | null {
  try {
    const parsed = JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as Payload;
    return parsed && typeof parsed === "object" && parsed.challenge && parsed.solution ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Whether `payload` solves a challenge this server issued, unexpired and never used before; a valid one
 * is spent (replay-protected through the limiter backend, so every instance sharing the limits' store,
 * Upstash or PostgreSQL, agrees).
 * The signature is checked before any key is derived, so a made-up challenge costs one HMAC.
 */
export async function spendProofOfWork(payload: string | null | undefined): Promise<boolean> {
  if (!payload || payload.length > 4096) return false;
  const parsed = parsePayload(payload);
  if (!parsed) return false;
  const { verified } = await verifySolution({
    challenge: parsed.challenge,
    solution: parsed.solution,
    deriveKey,
    hmacSignatureSecret: signingKey(),
  }).catch(() => ({ verified: false }));
  if (!verified || !parsed.challenge.signature) return false;
  try {
    await enforceLimits([[limiters.proofOfWorkSpent, parsed.challenge.signature]], "Already used.");
    return true;
  } catch (error) {
    if (error instanceof RateLimitedError) return false;
    throw error;
  }
}
