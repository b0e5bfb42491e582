import { describe, expect, it } from "vitest";
import { REDACTED, scrubEvent, scrubText } from "./scrub";

describe("scrubText", () => {
  it("removes emails, bearer credentials, provider keys, JWTs and secret query values", () => {
    expect(scrubText("no user ann.b+tag@mail.example.co.uk here")).toBe("no user [email] here");
    expect(scrubText("Authorization: Bearer abc.def-ghi")).toBe(`Authorization: ${REDACTED}`);
    expect(scrubText("key sk_live_51Habc and whsec_abc123 and re_123abc")).toBe(
      `key ${REDACTED} and ${REDACTED} and ${REDACTED}`,
    );
    expect(scrubText("jwt eyJhbGciOi.eyJzdWIiOi.sig_part")).toBe(`jwt ${REDACTED}`);
    expect(scrubText("/verify?token=abc123&next=/dashboard")).toBe(`/verify?token=${REDACTED}&next=/dashboard`);
  });

  it("leaves ordinary text alone", () => {
    expect(scrubText("Recipe 3f1e2d4c not found for user u_123")).toBe("Recipe 3f1e2d4c not found for user u_123");
  });
});

describe("scrubEvent", () => {
  it("keeps the request's method, path and harmless headers; drops cookies, auth, body, query and the user's email and IP", () => {
    const event = scrubEvent({
      request: {
        method: "POST",
        url: "https://app.example/api/contact?email=ann@example.com",
        headers: {
          cookie: "s=1",
          authorization: "Bearer x",
          "x-api-key": "k",
          "user-agent": "curl",
          "x-request-id": "r1",
        },
        cookies: { s: "1" },
        data: '{"message":"private"}',
        query_string: "email=ann@example.com",
      },
      user: { id: "u1", email: "ann@example.com", ip_address: "203.0.113.9" },
      extra: { password: "hunter2", nested: { sessionToken: "t", note: "mail ann@example.com" } },
      tags: { request_id: "r1" },
    });
    expect(event).toEqual({
      request: {
        method: "POST",
        url: "https://app.example/api/contact",
        headers: { "user-agent": "curl", "x-request-id": "r1" },
      },
      user: { id: "u1" },
      extra: { password: REDACTED, nested: { sessionToken: REDACTED, note: "mail [email]" } },
      tags: { request_id: "r1" },
    });
  });
});
