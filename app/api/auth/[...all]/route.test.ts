import { createHmac, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { AUTH_MAX_BODY_BYTES } from "@/lib/auth";
import { closeDatabase, db, schema } from "@/lib/db";
import { setEnv } from "@/tests/support/env";
import { adminUrl, withDatabase } from "@/tests/support/postgres-url";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { GET, POST } from "./route";

const headers = { "content-type": "application/json", origin: "http://localhost:3000" };

/** A body that streams `total` bytes without a Content-Length, counting how many were pulled. */
function streamedBody(total: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const pulled = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

describe("POST /api/auth/* body limit", () => {
  it("answers 413 to a 5 MB body that declares its length, without reading it", async () => {
    const response = await POST(
      new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: { ...headers, "content-length": String(5 * 1024 * 1024) },
        body: "x".repeat(5 * 1024 * 1024),
      }),
    );
    expect(response.status).toBe(413);
  });

  it("answers 413 to a 5 MB body streamed without a length, having read no more than the limit's chunk", async () => {
    const { stream, pulled } = streamedBody(5 * 1024 * 1024);
    const response = await POST(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers,
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    // The stream is cancelled at the first chunk past the limit: far from the 5 MB sent.
    expect(pulled.bytes).toBeLessThanOrEqual(AUTH_MAX_BODY_BYTES + 2 * 64 * 1024);
  });

  it("passes an ordinary body through to Better Auth", async () => {
    const response = await POST(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers,
        body: JSON.stringify({ email: `cook-${randomUUID()}@example.test`, password: "long-enough", name: "Ann" }),
      }),
    );
    expect(response.status).toBe(200);
    await flushAfterResponse();
  });
});

describe("POST /api/auth/sign-up/email does not reveal whether an email is registered", () => {
  const signUp = (body: Record<string, string>) =>
    POST(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      }),
    );
  /** The JSON's structure with every value replaced by its type: what a caller could compare. */
  const shape = (value: unknown): unknown =>
    value === null || typeof value !== "object"
      ? value === null
        ? null
        : typeof value
      : Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]));
  const emailsTo = (email: string) =>
    db.select({ template: schema.emails.template }).from(schema.emails).where(eq(schema.emails.to, email));

  it("answers a new and a registered address with the same status, headers and body shape; each gets one email", async () => {
    const registered = `cook-${randomUUID()}@example.test`;
    await signUp({ email: registered, password: "long-enough", name: "Ann" });
    await flushAfterResponse();
    expect(await emailsTo(registered)).toEqual([{ template: "verify-email" }]);

    const fresh = `cook-${randomUUID()}@example.test`;
    const forNew = await signUp({ email: fresh, password: "other-password", name: "Eve" });
    const forExisting = await signUp({ email: registered, password: "other-password", name: "Eve" });

    expect(forExisting.status).toBe(200);
    expect(forNew.status).toBe(forExisting.status);
    expect([...forExisting.headers.keys()].sort()).toEqual([...forNew.headers.keys()].sort());
    expect(forNew.headers.getSetCookie()).toEqual([]);
    expect(forExisting.headers.getSetCookie()).toEqual([]);
    const [newBody, existingBody] = [await forNew.json(), await forExisting.json()];
    expect(shape(existingBody)).toEqual(shape(newBody));
    // Even the values say nothing: the existing account's real id, name and dates are not in the answer.
    expect(existingBody.user).toMatchObject({ email: registered, name: "Eve", emailVerified: false });
    const [owner] = await db.select().from(schema.user).where(eq(schema.user.email, registered));
    expect(existingBody.user.id).not.toBe(owner!.id);

    // (The finish-sign-up email is queued after the answer, then delivered: flush until nothing is left.)
    while ((await flushAfterResponse()) > 0);
    expect(await emailsTo(fresh)).toEqual([{ template: "verify-email" }]);
    // The unconfirmed account's owner is asked to choose the password (app/(auth)/actions.test.ts follows that link).
    expect((await emailsTo(registered)).map((row) => row.template).sort()).toEqual(["finish-sign-up", "verify-email"]);
  });

  it("emails a confirmed account's owner that someone tried to sign up, and nothing else", async () => {
    const email = `cook-${randomUUID()}@example.test`;
    await signUp({ email, password: "long-enough", name: "Ann" });
    const [{ url }] = (
      await db.select({ props: schema.emails.props }).from(schema.emails).where(eq(schema.emails.to, email))
    ).map((row) => row.props as { url: string }) as [{ url: string }];
    await GET(new Request(url));
    await flushAfterResponse();
    const before = (await emailsTo(email)).map((row) => row.template).sort();
    expect(before).toEqual(["verify-email", "welcome"]);

    const response = await signUp({ email, password: "other-password", name: "Eve" });
    expect(response.status).toBe(200);
    await flushAfterResponse();
    expect((await emailsTo(email)).map((row) => row.template).sort()).toEqual(["account-exists", ...before].sort());
  });
});

describe("/api/auth/* while the database is down", () => {
  it("answers 503 with Retry-After to sign-in, sign-up and magic-link requests, not 500", async () => {
    await closeDatabase();
    // Nothing listens on port 1: the real postgres.js client fails to connect.
    setEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/unreachable" });
    onTestFinished(() => closeDatabase());
    const email = `cook-${randomUUID()}@example.test`;
    const post = (path: string, body: unknown) =>
      POST(
        new Request(`http://localhost:3000/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) }),
      );

    const answers = [
      await post("/sign-in/email", { email, password: "long-enough" }),
      await post("/sign-up/email", { email, password: "long-enough", name: "Ann" }),
      await post("/sign-in/magic-link", { email }),
    ];
    expect(answers.map((response) => response.status)).toEqual([503, 503, 503]);
    expect(answers[0]!.headers.get("retry-after")).toBe("30");
  });

  // A Postgres that nobody ran `npm run db:migrate` on answers queries but has no tables: say so, not "Failed query".
  it.runIf(process.env.DATABASE_URL)("names the fix when the database is not migrated", async () => {
    const admin = postgres(adminUrl(process.env.DATABASE_URL!), { max: 1, onnotice: () => {} });
    const name = `auth_unmigrated_${process.pid}_${Date.now()}`;
    await admin.unsafe(`create database "${name}"`);
    await closeDatabase();
    setEnv({ DATABASE_URL: withDatabase(process.env.DATABASE_URL!, name) });
    onTestFinished(async () => {
      await closeDatabase();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    });
    const response = await POST(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers,
        body: JSON.stringify({ email: `cook-${randomUUID()}@example.test`, password: "long-enough", name: "Ann" }),
      }),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      code: "SERVICE_UNAVAILABLE",
      message: "Accounts are unavailable: the database is not migrated yet. Run `npm run db:migrate`, then try again.",
    });
  });
});

describe("session cookies", () => {
  /** Re-signs a session's cookies with `secret`, as e2e/attack.e2e.ts does against the running server. */
  function resign(setCookies: string[], secret: string) {
    const cookies = setCookies.map((cookie) => cookie.split(";")[0]!);
    const value = (name: string) => cookies.find((cookie) => cookie.startsWith(`${name}=`))?.slice(name.length + 1);
    const token = decodeURIComponent(value("better-auth.session_token")!).split(".")[0]!;
    const signed = [
      `better-auth.session_token=${encodeURIComponent(`${token}.${createHmac("sha256", secret).update(token).digest("base64")}`)}`,
    ];
    const cached = value("better-auth.session_data");
    if (cached) {
      const data = JSON.parse(Buffer.from(cached, "base64url").toString());
      const signature = createHmac("sha256", secret)
        .update(JSON.stringify({ ...data.session, expiresAt: data.expiresAt }))
        .digest("base64url");
      signed.push(
        `better-auth.session_data=${Buffer.from(JSON.stringify({ ...data, signature })).toString("base64url")}`,
      );
    }
    return signed.join("; ");
  }

  it("accepts only cookies signed with the server's own secret", async () => {
    const { env } = await import("@/lib/core/env");
    const email = `cook-${randomUUID()}@example.test`;
    await POST(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers,
        body: JSON.stringify({ email, password: "long-enough", name: "Ann" }),
      }),
    );
    // The confirmation link signs the new user in: its answer carries the session cookies.
    const [sent] = await db
      .select({ props: schema.emails.props })
      .from(schema.emails)
      .where(eq(schema.emails.to, email));
    const signedIn = await GET(new Request((sent!.props as { url: string }).url));
    await flushAfterResponse();
    const session = async (cookie: string) =>
      (await GET(new Request("http://localhost:3000/api/auth/get-session", { headers: { cookie } }))).json();

    // Signed the way the server signs (the forging code is right), then with any other secret.
    expect((await session(resign(signedIn.headers.getSetCookie(), env.authSecret)))?.user?.email).toBe(email);
    expect(await session(resign(signedIn.headers.getSetCookie(), "attacker-secret-".padEnd(40, "x")))).toBeNull();
  });
});
