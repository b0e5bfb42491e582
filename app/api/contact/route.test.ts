import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { freezeAtWindowStart } from "@/tests/support/clock";
import { startFakeResend } from "@/tests/support/fake-resend";
import { flushAfterResponse } from "@/tests/support/run-after-response";

let POST: (req: Request) => Promise<Response>;
const resendApi = await startFakeResend();

beforeAll(async () => {
  // The notification goes through the real Resend SDK to a local fake. The rate limiters are built from env at
  // import (lib/ratelimit/limiters.ts), so the route is imported again under these variables.
  vi.stubEnv("RESEND_API_KEY", "re_test_key");
  vi.stubEnv("RESEND_BASE_URL", resendApi.url);
  // Room for every test in this file; the ceiling has its own test below.
  vi.stubEnv("CONTACT_GLOBAL_RATE_LIMIT", "1000");
  vi.resetModules();
  ({ POST } = await import("./route"));
});
afterAll(() => resendApi.close());

const valid = () => ({
  name: "Ann Cook",
  // Each message from its own sender unless a test says otherwise: the limit is per sender.
  email: `ann-${randomUUID()}@example.test`,
  subject: `Hello ${randomUUID()}`,
  message: "I love the tomato soup recipe.",
});

/** Each call comes from a new address unless one is given, so the rate limit only bites where a test wants it. */
function post(
  body: unknown,
  {
    ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    contentType = "application/json",
    raw,
  }: { ip?: string; contentType?: string; raw?: string } = {},
) {
  return POST(
    new Request("http://localhost/api/contact", {
      method: "POST",
      headers: { "content-type": contentType, "x-forwarded-for": ip },
      body: raw ?? JSON.stringify(body),
    }),
  );
}

const messagesWithSubject = (subject: string) =>
  db.select().from(schema.contactMessages).where(eq(schema.contactMessages.subject, subject));
const notifications = (subject: string) =>
  db
    .select()
    .from(schema.emails)
    .where(eq(schema.emails.subject, `Contact form: ${subject}`));

describe("POST /api/contact", () => {
  it("stores the message before answering 200, and sends the notification once", async () => {
    const input = valid();
    const response = await post(input);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("RateLimit-Limit")).toBe("10");

    // Stored when the 200 left, before any background work ran.
    const [message] = await messagesWithSubject(input.subject);
    expect(message).toMatchObject({ name: "Ann Cook", email: input.email, message: input.message });
    expect((await notifications(input.subject))[0]?.status).toBe("queued");

    await flushAfterResponse();
    const [email] = await notifications(input.subject);
    expect(email).toMatchObject({ status: "sent", to: "owner@example.com", transport: "resend" });
    expect(resendApi.sends().filter((send) => send.body.subject === `Contact form: ${input.subject}`)).toHaveLength(1);
  });

  it.each([
    ["name", { name: "" }],
    ["email", { email: "not-an-email" }],
    ["subject", { subject: "" }],
    ["message", { message: "short" }],
    ["message", { message: "x".repeat(5001) }],
    ["name", { name: 42 }],
    // Postgres cannot store NUL; a lone surrogate cannot be sent in an email: both were a 503 or a lost notification.
    ["message", { message: "Hello there\u0000, a NUL" }],
    ["message", { message: "Hello there \ud800 a lone surrogate" }],
    ["name", { name: "Ann\udc00" }],
    ["subject", { subject: "Hi \ud83d" }],
  ])("answers 400 with a field error for an invalid %s", async (field, change) => {
    const input = { ...valid(), ...change };
    const response = await post(input);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.error.fieldErrors)).toEqual([field]);
    expect(body.error.fieldErrors[field][0]).toEqual(expect.any(String));
    expect(await messagesWithSubject(input.subject as string)).toEqual([]);
  });

  it("answers 400 for malformed JSON", async () => {
    const response = await post(null, { raw: '{"name": "Ann",' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({ formErrors: ["The body is not valid JSON."], fieldErrors: {} });
  });

  it("answers 400 for JSON that is not an object", async () => {
    const response = await post([1, 2, 3]);
    expect(response.status).toBe(400);
    expect((await response.json()).error.formErrors).toHaveLength(1);
  });

  it("answers 415 unless the body is JSON", async () => {
    const input = valid();
    const response = await post(null, {
      contentType: "application/x-www-form-urlencoded",
      raw: new URLSearchParams(input).toString(),
    });
    expect(response.status).toBe(415);
    expect(await messagesWithSubject(input.subject)).toEqual([]);
  });

  it("answers 413 for a 33 KiB body, judged on its bytes", async () => {
    const input = { ...valid(), message: "é".repeat(17 * 1024) }; // 17 Ki characters, 34 KiB of UTF-8
    expect((await post(input)).status).toBe(413);
    // Also when the client sends no Content-Length: the stream is counted as it arrives.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ ...valid(), message: "a".repeat(33 * 1024) })));
        controller.close();
      },
    });
    const response = await POST(
      new Request("http://localhost/api/contact", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
  });

  it("answers 200 to a filled honeypot but stores and sends nothing", async () => {
    const input = { ...valid(), website: "http://spam.example" };
    const response = await post(input);
    expect(response.status).toBe(200);
    await flushAfterResponse();
    expect(await messagesWithSubject(input.subject)).toEqual([]);
    expect(await notifications(input.subject)).toEqual([]);
  });

  it("answers 429 with Retry-After and RateLimit headers to a sender's 11th message in the window, whatever X-Forwarded-For says", async () => {
    freezeAtWindowStart(10);
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const email = `sender-${randomUUID()}@example.test`;
    for (let i = 1; i <= 10; i++) {
      // A new forged address every time: with TRUST_PROXY unset none of them is believed.
      const response = await post({ ...valid(), email }, { ip: `10.200.${i}.1` });
      expect(response.status).toBe(200);
      expect(response.headers.get("RateLimit-Remaining")).toBe(String(10 - i));
    }
    const input = { ...valid(), email: email.toUpperCase() };
    const refused = await post(input, { ip: "10.200.99.1" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("RateLimit-Limit")).toBe("10");
    expect(refused.headers.get("RateLimit-Remaining")).toBe("0");
    expect(Number(refused.headers.get("RateLimit-Reset"))).toBeLessThanOrEqual(10);
    expect(await messagesWithSubject(input.subject)).toEqual([]);
    // Another sender is not affected.
    expect((await post(valid(), { ip: "10.200.99.1" })).status).toBe(200);
    await flushAfterResponse();
  });

  it("still answers 200 when Resend fails, and the notification is sent later by the sweeper", async () => {
    const { retryFailedEmails } = await import("@/lib/email");
    const input = valid();
    resendApi.fail(500);
    try {
      expect((await post(input)).status).toBe(200);
      await flushAfterResponse();
      const [failed] = await notifications(input.subject);
      expect(failed).toMatchObject({ status: "failed", attempts: 1 });
      expect(await messagesWithSubject(input.subject)).toHaveLength(1);
    } finally {
      resendApi.recover();
    }
    const [failed] = await notifications(input.subject);
    await db
      .update(schema.emails)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(schema.emails.id, failed!.id));
    await retryFailedEmails(db);
    expect((await notifications(input.subject))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("POST /api/contact: the ceiling for all senders together", () => {
  it("refuses messages past CONTACT_GLOBAL_RATE_LIMIT a minute, however senders and headers vary", async () => {
    freezeAtWindowStart(60);
    onTestFinished(() => {
      vi.useRealTimers();
    });
    vi.stubEnv("CONTACT_GLOBAL_RATE_LIMIT", "5");
    vi.stubEnv("CONTACT_RATE_LIMIT", "100");
    // With DATABASE_URL the limits count in PostgreSQL, where the tests above already counted: start afresh.
    await db.delete(schema.rateLimits);
    vi.resetModules();
    const { POST: limitedPost } = await import("./route");
    const send = (i: number) =>
      limitedPost(
        new Request("http://localhost/api/contact", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i}` },
          body: JSON.stringify(valid()),
        }),
      );
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await send(i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    await flushAfterResponse();
  });
});
