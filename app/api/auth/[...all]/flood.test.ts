import { randomUUID } from "node:crypto";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { signInAction, signUpAction } from "@/app/(auth)/actions";
import { GET as challengeRoute } from "@/app/api/challenge/route";
import { db, schema } from "@/lib/db";
import { form } from "@/tests/support/form";
import { cookieJar } from "@/tests/support/next/headers";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { signUpTestUser } from "@/tests/support/users";
import { POST } from "./route";

/**
 * One anonymous client flooding the endpoints that send email (no trusted client IP, random addresses:
 * only the global ceilings count it) must not lock everyone out of signing in, and past a ceiling a
 * real person still gets through by proving work instead of being refused with everyone else.
 */

// The ceilings are read when lib/ratelimit loads: small ones for this file, so a flood is a few dozen requests.
vi.hoisted(() => {
  process.env.AUTH_GLOBAL_RATE_LIMIT = "30";
  process.env.AUTH_EMAIL_GLOBAL_RATE_LIMIT = "20";
  process.env.AUTH_RATE_LIMIT = "3";
});

beforeAll(async () => {
  await db.select().from(schema.user).limit(1);
});

const base = "http://localhost:3000/api/auth";
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  POST(
    new Request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", ...headers },
      body: JSON.stringify(body),
    }),
  );

/** Random addresses to /send-verification-email until the email ceiling refuses; returns the statuses. */
async function floodEmailEndpoints(requests = 25) {
  const statuses: number[] = [];
  for (let i = 0; i < requests; i++) {
    const email = `flood-${randomUUID()}@example.test`;
    statuses.push((await post("/send-verification-email", { email })).status);
  }
  await flushAfterResponse();
  return statuses;
}

/** A fresh challenge from GET /api/challenge, solved as the browser's widget does; the widget's payload. */
async function solvedChallenge(): Promise<string> {
  const response = await challengeRoute(new Request("http://localhost:3000/api/challenge"));
  expect(response.headers.get("cache-control")).toBe("no-store");
  const challenge = (await response.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

// A flood is dozens of requests, each hashing a password or storing a token: slow on a busy machine.
describe("a flood of requests that send email", { timeout: 60_000 }, () => {
  it("does not use up sign-in's ceiling: a real user signs in with the right password", async () => {
    const cook = await signUpTestUser("Flooded Cook");
    cookieJar.clear();
    const statuses = await floodEmailEndpoints();
    expect(statuses).toContain(429);

    const signIn = await post("/sign-in/email", { email: cook.email, password: "correct-horse-battery" });
    expect(signIn.status).toBe(200);
    // And without JavaScript: the sign-in form's Server Action.
    await expect(
      signInAction({}, form({ email: cook.email, password: "correct-horse-battery", next: "/dashboard" })),
    ).rejects.toMatchObject({ url: "/dashboard" });
  });

  it("asks for proof of work past the ceiling, and a solved challenge gets a sign-up through, once", async () => {
    await floodEmailEndpoints();
    const email = `newcomer-${randomUUID()}@example.test`;
    const body = { email, password: "long-enough-password", name: "Newcomer" };

    const refused = await post("/sign-up/email", body);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      code: "CHALLENGE_REQUIRED",
      challenge: "altcha",
      challengeUrl: "/api/challenge",
    });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    const proof = await solvedChallenge();
    expect((await post("/sign-up/email", body, { "x-altcha": proof })).status).toBe(200);
    expect(await db.$count(schema.user, eq(schema.user.email, email))).toBe(1);
    // The same solution twice is one request's worth of work: the second is refused.
    const replayed = await post("/sign-up/email", { ...body, email: `again-${email}` }, { "x-altcha": proof });
    expect(replayed.status).toBe(429);
    // A made-up or tampered payload is no proof either.
    const forged = Buffer.from(JSON.stringify({ challenge: { parameters: {} }, solution: {} })).toString("base64");
    expect((await post("/sign-up/email", { ...body, email: `forged-${email}` }, { "x-altcha": forged })).status).toBe(
      429,
    );
  });

  it("answers the sign-up form with a request for the proof, and takes the one its widget solved", async () => {
    await floodEmailEndpoints();
    const fields = { name: "Form Newcomer", email: `form-${randomUUID()}@example.test`, password: "long-enough-pw" };
    expect(await signUpAction({}, form(fields))).toMatchObject({ challenge: true, error: expect.any(String) });
    expect(await signUpAction({}, form({ ...fields, altcha: await solvedChallenge() }))).toMatchObject({ ok: true });
  });
});

describe("a flood of sign-in attempts", { timeout: 60_000 }, () => {
  /** Wrong passwords for random addresses until sign-in's ceiling refuses. */
  async function floodSignIn(requests = 33) {
    const statuses: number[] = [];
    for (let i = 0; i < requests; i++)
      statuses.push(
        (await post("/sign-in/email", { email: `nobody-${randomUUID()}@example.test`, password: "x" })).status,
      );
    return statuses;
  }

  it("asks a real user for proof of work instead of refusing them, and lets them in with it", async () => {
    const cook = await signUpTestUser("Patient Cook");
    cookieJar.clear();
    expect(await floodSignIn()).toContain(429);
    const right = { email: cook.email, password: "correct-horse-battery" };
    const refused = await post("/sign-in/email", right);
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe("CHALLENGE_REQUIRED");
    expect((await post("/sign-in/email", right, { "x-altcha": await solvedChallenge() })).status).toBe(200);
  });

  it("still refuses guesses past one account's own limit, proof or not", async () => {
    const cook = await signUpTestUser("Guarded Cook");
    cookieJar.clear();
    await floodSignIn();
    const statuses: number[] = [];
    // AUTH_RATE_LIMIT is 3 here: three wrong guesses, then the account's limit.
    for (let i = 0; i < 4; i++) {
      const proof = await solvedChallenge();
      statuses.push(
        (await post("/sign-in/email", { email: cook.email, password: `guess-${i}` }, { "x-altcha": proof })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
