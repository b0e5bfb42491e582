import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/auth/[...all]/route";
import { signInAction } from "@/app/(auth)/actions";
import { form } from "@/tests/support/form";
import { cookieJar } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { signUpTestUser } from "@/tests/support/users";
import { SIGNED_IN_HINT_COOKIE } from "./cookies";
import { signedInHintFor } from "./signed-in-hint";

const origin = "http://localhost:3000";
const post = (path: string, body: unknown, cookie?: string) =>
  POST(
    new Request(`${origin}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
const setCookie = (response: Response, name: string) =>
  response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));

describe("the signed-in hint cookie the header's scripts read", () => {
  it("comes with a new session, readable by scripts and as long-lived, and goes with sign-out", async () => {
    const cook = await signUpTestUser("Hinted");

    const signedIn = await post("/sign-in/email", { email: cook.email, password: "correct-horse-battery" });
    expect(signedIn.status).toBe(200);
    const hint = setCookie(signedIn, SIGNED_IN_HINT_COOKIE);
    expect(hint).toMatch(new RegExp(`^${SIGNED_IN_HINT_COOKIE}=1;`));
    expect(hint).not.toMatch(/HttpOnly/i);
    const session = setCookie(signedIn, "better-auth.session_token")!;
    expect(hint).toContain(session.match(/Max-Age=\d+/i)![0]);

    const signedOut = await post("/sign-out", {}, session.split(";")[0]);
    expect(signedOut.status).toBe(200);
    expect(setCookie(signedOut, SIGNED_IN_HINT_COOKIE)).toMatch(/Max-Age=0/i);
  });

  it("follows the last session cookie an answer sets (an impersonation clears one, then sets another)", () => {
    const answer = new Headers();
    answer.append("set-cookie", "better-auth.session_token=; Max-Age=0; Path=/");
    answer.append("set-cookie", "better-auth.session_token=abc.def; Max-Age=3600; Path=/; HttpOnly");
    const options = { sessionCookie: "better-auth.session_token", sessionMaxAge: 3600, secure: false };
    expect(signedInHintFor(answer, options)).toMatchObject({ value: "1", options: { maxAge: 3600 } });
    const ended = new Headers();
    ended.append("set-cookie", "better-auth.session_token=abc.def; Max-Age=3600; Path=/");
    ended.append("set-cookie", "better-auth.session_token=; Max-Age=0; Path=/");
    expect(signedInHintFor(ended, options)).toMatchObject({ value: "", options: { maxAge: 0 } });
  });

  it("is left alone by answers that do not touch the session cookie", async () => {
    const refused = await post("/sign-in/email", { email: "nobody@example.test", password: "not-a-password" });
    expect(refused.status).toBe(401);
    expect(setCookie(refused, SIGNED_IN_HINT_COOKIE)).toBeUndefined();
  });

  it("reaches the browser through a Server Action's sign-in too", async () => {
    const cook = await signUpTestUser("Action");
    cookieJar.clear();
    await expect(
      signInAction({}, form({ email: cook.email, password: "correct-horse-battery", next: "/dashboard" })),
    ).rejects.toEqual(new RedirectSignal("/dashboard"));
    expect(cookieJar.snapshot().get(SIGNED_IN_HINT_COOKIE)).toBe("1");
  });
});
