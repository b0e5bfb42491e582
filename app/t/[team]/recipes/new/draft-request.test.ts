import { describe, expect, it } from "vitest";
import {
  DraftFailure,
  describeDraftFailure,
  describeRetryAfter,
  draftFailureFrom,
  fieldsFromDraft,
} from "./draft-request";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

describe("the recipe form's fields from a draft that is still being written", () => {
  it("fills what has arrived, one list entry per line, and leaves the rest empty", () => {
    expect(fieldsFromDraft({ title: "Quick d" })).toEqual({
      title: "Quick d",
      description: "",
      ingredients: "",
      steps: "",
    });
    expect(
      fieldsFromDraft({
        title: "Quick dal",
        description: "Lentils.",
        ingredients: ["250 g red lentils", "1 oni", undefined],
        steps: [],
      }),
    ).toEqual({ title: "Quick dal", description: "Lentils.", ingredients: "250 g red lentils\n1 oni", steps: "" });
  });
});

describe("a refused draft request, as the page shows it", () => {
  it("quota used up (429): the route's message, when to try again, and that the quota is gone", async () => {
    const failure = await draftFailureFrom(
      json(
        429,
        {
          error: "You have used today's 5 AI drafts on the Free plan. Upgrade to Pro for more, or try again tomorrow.",
          quota: 5,
        },
        { "Retry-After": String(5 * 3600 + 12 * 60) },
      ),
    );
    expect(failure).toMatchObject({ status: 429, retryAfterSeconds: 18720, quotaExhausted: true });
    expect(describeDraftFailure(failure)).toBe(
      "You have used today's 5 AI drafts on the Free plan. Upgrade to Pro for more, or try again tomorrow. (You can try again in 5 h 12 min.)",
    );
  });

  it("burst limit (429): waits seconds, and the daily quota is not marked used up", async () => {
    const failure = await draftFailureFrom(
      json(429, { error: "Too many drafts at once. Wait a moment and try again." }, { "Retry-After": "40" }),
    );
    expect(failure.quotaExhausted).toBe(false);
    expect(describeDraftFailure(failure)).toBe(
      "Too many drafts at once. Wait a moment and try again. (You can try again in 40 seconds.)",
    );
  });

  it("a bad idea (400) becomes the idea field's error", async () => {
    const failure = await draftFailureFrom(
      json(400, { error: { formErrors: [], fieldErrors: { idea: ["Describe the dish in at least 3 characters."] } } }),
    );
    expect(failure).toMatchObject({ status: 400, ideaError: "Describe the dish in at least 3 characters." });
  });

  it("signed out (401), provider failure (502) and timeout (504) keep the route's message", async () => {
    expect((await draftFailureFrom(json(401, { error: "Sign in to draft recipes with AI." }))).message).toBe(
      "Sign in to draft recipes with AI.",
    );
    const busy = await draftFailureFrom(
      json(502, { error: "The AI provider is busy right now. Please try again in a minute." }),
    );
    expect(describeDraftFailure(busy)).toBe("The AI provider is busy right now. Please try again in a minute.");
    // A proxy's HTML error page instead of our JSON still gets a clear sentence.
    const timeout = await draftFailureFrom(new Response("<html>Gateway Timeout</html>", { status: 504 }));
    expect(timeout.message).toBe("The AI model took too long to answer. Please try again.");
  });

  it("an unreachable server and an error part inside the stream", () => {
    expect(describeDraftFailure(new TypeError("Failed to fetch"))).toBe(
      "Could not reach the server. Check your connection and try again.",
    );
    expect(describeDraftFailure(new Error("The AI model took too long to answer. Please try again."))).toBe(
      "The AI model took too long to answer. Please try again.",
    );
    expect(new DraftFailure("x", 502)).toBeInstanceOf(Error);
  });

  it("says when to retry in words", () => {
    expect(describeRetryAfter(1)).toBe("in 1 second");
    expect(describeRetryAfter(90)).toBe("in 2 minutes");
    expect(describeRetryAfter(3600)).toBe("in 1 h 0 min");
  });
});
