import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { sendEmailJob } from "@/lib/email";
import { defineJob, enqueue } from "@/lib/jobs";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { currentRequestId, runWithRequestContext } from "./request-context";

afterEach(() => vi.restoreAllMocks());

describe("a job queued by a request", () => {
  it("runs with the id of the request that queued it, after that request has finished", async () => {
    const seen: (string | undefined)[] = [];
    const noteRequestId = defineJob("note-request-id", z.undefined(), async () => {
      seen.push(currentRequestId());
    });

    runWithRequestContext({ requestId: "req-that-queued-it" }, () => void enqueue(noteRequestId, undefined));
    // The request is over: whatever runs the held work now has no request of its own.
    expect(currentRequestId()).toBeUndefined();
    expect(await flushAfterResponse()).toBe(1);
    expect(seen).toEqual(["req-that-queued-it"]);
  });

  it("prefers the id carried in the payload (a webhook event stored by an earlier request)", async () => {
    const seen: (string | undefined)[] = [];
    vi.spyOn(sendEmailJob, "run").mockImplementation(async () => {
      seen.push(currentRequestId());
      return "sent" as never;
    });
    runWithRequestContext(
      { requestId: "req-now" },
      () => void enqueue(sendEmailJob, { emailId: randomUUID(), requestId: "req-then" }),
    );
    await flushAfterResponse();
    expect(seen).toEqual(["req-then"]);
  });
});
