import { randomUUID } from "node:crypto";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { AUTH_MAX_BODY_BYTES } from "@/lib/auth";
import { closeDatabase } from "@/lib/db";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { POST } from "./route";

vi.mock("@/lib/jobs/after", () => import("@/tests/support/run-after-response"));

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

describe("/api/auth/* while the database is down", () => {
  it("answers 503 with Retry-After to sign-in, sign-up and magic-link requests, not 500", async () => {
    await closeDatabase();
    // Nothing listens on port 1: the real postgres.js client fails to connect.
    vi.stubEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/unreachable");
    vi.resetModules();
    onTestFinished(async () => {
      await closeDatabase();
      vi.unstubAllEnvs();
      vi.resetModules();
    });
    const route = await import("./route");
    const email = `cook-${randomUUID()}@example.test`;
    const post = (path: string, body: unknown) =>
      route.POST(
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
});
