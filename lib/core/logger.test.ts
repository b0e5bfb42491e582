import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushAfterResponse } from "@/tests/support/run-after-response";

// Every log line the app writes, as JSON text, through the real logger's options (serializers, redaction).
const captured = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock("@/lib/core/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/core/logger")>();
  const { default: pino } = await import("pino");
  const sink = new Writable({
    write(chunk, _encoding, done) {
      captured.lines.push(String(chunk));
      done();
    },
  });
  return { ...actual, logger: pino({ ...actual.loggerOptions, level: "debug" }, sink) };
});

// Values that must never reach a log: a message body, an address, a password, a link's token.
const canary = {
  body: `canary-body-${randomUUID()}`,
  email: `canary-${randomUUID().slice(0, 8)}@example.test`,
  password: `canary-password-${randomUUID()}`,
};

// Better Auth, Next and libraries may also print to the console: capture that too.
const consoleLines: string[] = [];
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    consoleLines.push(args.map((arg) => (arg instanceof Error ? `${arg.stack}` : JSON.stringify(arg))).join(" "));
  });
}

const everything = () => [...captured.lines, ...consoleLines].join("\n");

// Loaded once the console is captured (they may print as they load), and here rather than in the tests: loading
// the routes and Better Auth takes seconds on a busy machine, and is not what the tests time.
const { POST: stripeWebhook } = await import("@/app/api/webhooks/stripe/route");
const { POST: contact } = await import("@/app/api/contact/route");
const { db, schema } = await import("@/lib/db");
const { authRoute } = await import("@/lib/auth");
const { safeError } = await import("@/lib/core/logger");

beforeEach(() => {
  captured.lines.length = 0;
  consoleLines.length = 0;
});
afterAll(() => vi.restoreAllMocks());

function expectNoCanary(extra: string[] = []) {
  const log = everything();
  for (const value of [...Object.values(canary), ...extra]) expect(log).not.toContain(value);
}

describe("the log on failure paths carries ids and reasons, never bodies, addresses or tokens", () => {
  it("a Stripe delivery with a bad signature: the reason, not the body", async () => {
    const body = JSON.stringify({ id: "evt_canary", data: { object: { email: canary.email, note: canary.body } } });
    const response = await stripeWebhook(
      new Request("http://localhost/api/webhooks/stripe", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=bad" },
      }),
    );
    expect(response.status).toBe(400);
    expect(everything()).toMatch(/signature did not verify/);
    expectNoCanary();
  });

  it("a database error while storing a contact message: the reason, not the query's parameters", async () => {
    // A real failed insert (the table is missing), so the error is Drizzle's own, parameters and all.
    await db.execute(sql`alter table contact_messages rename to contact_messages_away`);
    try {
      const response = await contact(
        new Request("http://localhost/api/contact", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Canary", email: canary.email, subject: "Hello", message: canary.body }),
        }),
      );
      expect(response.status).toBe(503);
    } finally {
      await db.execute(sql`alter table contact_messages_away rename to contact_messages`);
    }
    expect(everything()).toMatch(/request failed: the database did not do the work/);
    expectNoCanary();
  });

  it("a magic link whose email cannot be stored: no link, no token, no address", async () => {
    await db.execute(sql`alter table emails rename to emails_away`);
    try {
      const response = await authRoute(
        new Request("http://localhost:3000/api/auth/sign-in/magic-link", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://localhost:3000" },
          body: JSON.stringify({ email: canary.email, callbackURL: "/dashboard" }),
        }),
      );
      expect(response.status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.execute(sql`alter table emails_away rename to emails`);
    }
    // The token the link carried is in the verification row (hashed there); it must not be in the log in any form.
    const tokens = (await db.select().from(schema.verification)).flatMap((row) => [row.value, row.identifier]);
    expect(everything()).toMatch(/magic-link email not stored/);
    expectNoCanary(tokens);
    expect(everything()).not.toMatch(/token=/);
  });

  it("a failed sign-in and sign-up: no address, no password, no link", async () => {
    const post = (path: string, body: object) =>
      authRoute(
        new Request(`http://localhost:3000/api/auth${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://localhost:3000" },
          body: JSON.stringify(body),
        }),
      );
    expect((await post("/sign-in/email", { email: canary.email, password: canary.password })).status).toBe(401);
    await post("/sign-up/email", { email: canary.email, password: canary.password, name: "Canary" });
    // Again with the registered address: the owner is emailed, and the log must not name the address.
    await post("/sign-up/email", { email: canary.email, password: canary.password, name: "Canary" });
    await flushAfterResponse();
    // The confirmation links (their tokens sign a user in) went to the outbox, not to the log.
    const links = (await db.select().from(schema.emails).where(eq(schema.emails.to, canary.email))).map((row) =>
      new URL((row.props as { url: string }).url).searchParams.get("token")!,
    );
    expect(links).toHaveLength(2);
    expectNoCanary(links);
  });
});

describe("safeError", () => {
  it("keeps type, code and a scrubbed message; drops every other property", async () => {
    const error = Object.assign(
      new Error(`Failed query: insert into x values ($1)\nparams: ${canary.email},${canary.body}`),
      {
        code: "23505",
        payload: canary.body,
        detail: `Key (email)=(${canary.email}) already exists.`,
      },
    );
    const safe = JSON.stringify(safeError(new Error("wrapped", { cause: error })));
    expect(safe).toContain("23505");
    expect(safe).toContain("Failed query: insert into x values ($1)");
    expect(safe).not.toContain(canary.email);
    expect(safe).not.toContain(canary.body);
  });
});
