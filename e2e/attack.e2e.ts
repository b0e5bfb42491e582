import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import S3rver from "s3rver";
import Stripe from "stripe";
import { DEV_AUTH_SECRET } from "../lib/core/dev-secrets";
import playwrightConfig from "../playwright.config";
import { TEAM_HOME } from "./support";

/**
 * The attacks from issues 11 and 28, repeated from outside against a production
 * server (`next start` of this build, no proxy in front, as a Docker or
 * self-hosted deployment runs it), with nothing but HTTP and one browser. The
 * server is started here rather than by Playwright so its log can be read at
 * the end: no canary (address, password, message body, token, what was typed
 * into a form) may be in it. It uses a fresh embedded database, or Postgres
 * when E2E_DATABASE_URL is set (migrated first), and s3rver for photos.
 */

const canary = {
  email: `canary-${randomUUID().slice(0, 8)}@example.test`,
  password: `canary-password-${randomUUID()}`,
  body: `canary-body-${randomUUID()}`,
  title: `canary-title-${randomUUID()}`,
};
const serverSecret = randomBytes(32).toString("base64url");
const stripeWebhookSecret = `whsec_${randomBytes(24).toString("base64url")}`;
/** Better Auth's own fallback secret, also public. */
const betterAuthDefaultSecret = "better-auth-secret-12345678901234567890";

let server: ChildProcess;
let bucketServer: S3rver;
let dataDir: string;
let log = "";
let baseURL: string;
const contexts: APIRequestContext[] = [];
/** The account the attacker targets; its id is what a forged cookie claims. */
let victim: { id: string; email: string; name: string };

/** A fresh client with an empty cookie jar, so no test carries another's session. */
async function client() {
  const context = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  contexts.push(context);
  return context;
}

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  baseURL = `http://localhost:${port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "recipe-box-attack-"));
  // Photos go to s3rver, as in the attack: it enforces none of a presigned POST's policy.
  bucketServer = new S3rver({
    address: "localhost",
    port: await freePort(),
    directory: path.join(dataDir, "s3"),
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: "attack-photos" }],
  });
  const bucket = await bucketServer.run();
  const webServer = playwrightConfig.webServer;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The browser suite's environment (every provider off, empty values for the developer's .env.local), then:
    ...(Array.isArray(webServer) ? {} : webServer?.env),
    NODE_ENV: "production",
    DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
    PGLITE_DATA_DIR: path.join(dataDir, "pglite"),
    BETTER_AUTH_SECRET: serverSecret,
    AUTH_SECRET: "",
    APP_URL: baseURL,
    BETTER_AUTH_URL: baseURL,
    // No proxy in front and no hosting platform: no forwarded header may be believed.
    TRUST_PROXY: "",
    VERCEL: "",
    RENDER: "",
    STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
    AUTH_RATE_LIMIT: "",
    CONTACT_RATE_LIMIT: "",
    // The default 10 per window, over a minute rather than 10 s, so a slow machine's 11 posts share one window.
    CONTACT_RATE_WINDOW_SECONDS: "60",
    // Every line the server can write, debug included, is searched for canaries.
    LOG_LEVEL: "debug",
    // On, as in the browser suite: the attacker's own sign-up is confirmed through the outbox at /dev/emails.
    ENABLE_DEV_TOOLS: "1",
    // The defaults: 300 password sign-ins and 100 requests that send email a minute, for everyone together.
    AUTH_GLOBAL_RATE_LIMIT: "",
    AUTH_EMAIL_GLOBAL_RATE_LIMIT: "",
    // Contact notifications go to the default CONTACT_TO, owner@example.com.
    CONTACT_TO: "",
    S3_BUCKET: "attack-photos",
    S3_ENDPOINT: `http://localhost:${bucket.port}`,
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
  };
  if (env.DATABASE_URL) {
    const migrated = spawnSync("npm", ["run", "db:migrate"], { env, encoding: "utf8" });
    expect(migrated.status, migrated.stderr).toBe(0);
  }
  const next = path.join(process.cwd(), "node_modules/next/dist/bin/next");
  server = spawn(process.execPath, [next, "start", "-p", String(port)], { env });
  server.stdout!.on("data", (chunk) => (log += chunk));
  server.stderr!.on("data", (chunk) => (log += chunk));
  await waitForHealth(`${baseURL}/api/health`);

  victim = await signUpConfirmed(canary.email, canary.password, "Canary Cook");
});

test.afterAll(async () => {
  await Promise.all(contexts.map((context) => context.dispose()));
  await stopServer();
  await bucketServer?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a session cookie forged with a public secret is refused on pages, reads and writes", async () => {
  const api = await client();
  const session = (cookie: string) => api.get("/api/auth/get-session", { headers: { cookie } });

  // The forging is right: the victim's real session token signed with the server's own secret is a session.
  const owner = await signIn(await client(), canary.email, canary.password);
  const ownerCookie = (await owner.storageState()).cookies.find((c) => c.name === "better-auth.session_token")!;
  const realToken = decodeURIComponent(ownerCookie.value).split(".")[0]!;
  expect((await (await session(forgeSessionCookie(serverSecret, victim, realToken))).json())?.user?.id).toBe(victim.id);
  // With no cookie cache, every request asks the database: a made-up session is nothing, even signed with the secret.
  expect(await (await session(forgeSessionCookie(serverSecret, victim))).json()).toBeNull();

  // The public dev secret (the attacker read it in the repository) and Better Auth's own fallback.
  for (const secret of [DEV_AUTH_SECRET, betterAuthDefaultSecret]) {
    const cookie = forgeSessionCookie(secret, victim);
    expect(await (await session(cookie)).json()).toBeNull();

    // The session is checked before anything of the page streams: an HTTP redirect to sign-in.
    const dashboard = await api.get("/dashboard", { headers: { cookie }, maxRedirects: 0 });
    const page = await dashboard.text();
    expect(dashboard.status()).toBe(307);
    expect(dashboard.headers().location).toContain("/sign-in?next=%2Fdashboard");
    expect(page).not.toContain(victim.email);
    expect(page).not.toContain("Signed in as");

    const write = await api.post("/api/ai/draft-recipe", { headers: { cookie }, data: { idea: "Pwned soup" } });
    expect(write.status()).toBe(401);
    const upload = await api.post("/api/uploads", {
      headers: { cookie },
      data: { recipeId: randomUUID(), contentType: "image/png", size: 100 },
    });
    expect(upload.status()).toBe(401);
  }
  // The victim's name is as they left it.
  expect((await (await owner.get("/api/auth/get-session")).json()).user.name).toBe(victim.name);
});

test("one account's sign-in is limited whatever X-Forwarded-For says", async () => {
  const api = await client();
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 12; attempt++) {
    const forged = `203.0.113.${attempt + 1}`;
    const response = await api.post("/api/auth/sign-in/email", {
      headers: { "x-forwarded-for": forged, "x-real-ip": forged, "cf-connecting-ip": forged },
      data: { email: canary.email, password: `wrong-${attempt}` },
    });
    statuses.push(response.status());
  }
  // At most 10 tries a minute per account (the sign-up and sign-in above used some): then 429, and it stays 429.
  const firstRefusal = statuses.indexOf(429);
  expect(firstRefusal, `statuses: ${statuses}`).toBeGreaterThan(0);
  expect(firstRefusal).toBeLessThanOrEqual(10);
  expect(statuses.slice(0, firstRefusal)).toEqual(Array(firstRefusal).fill(401));
  expect(statuses.slice(firstRefusal)).toEqual(Array(statuses.length - firstRefusal).fill(429));
});

test("one contact sender is limited whatever X-Forwarded-For says; another sender is not", async () => {
  const api = await client();
  const send = (email: string, i: number) =>
    api.post("/api/contact", {
      headers: { "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` },
      data: { name: "Canary", email, subject: "Hello", message: `${canary.body} message ${i}`, website: "" },
    });
  const statuses: number[] = [];
  for (let i = 1; i <= 11; i++) statuses.push((await send(canary.email, i)).status());
  expect(statuses).toEqual([...Array(10).fill(200), 429]);
  const refused = await send(canary.email, 12);
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await send(`other-${randomUUID().slice(0, 8)}@example.test`, 13)).status()).toBe(200);
});

/** Known open-redirect bypasses: each is another host (or a script) to a browser, directly or after decoding. */
const bypasses = [
  "/..//evil.example/phish",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/.%2e//evil.example",
  "/\t/evil.example",
  "javascript:alert(1)",
];

test("sign-in never redirects off this origin, whatever `next` says", async () => {
  // The sign-in form is a Server Action: post it as a browser without JavaScript does, `next` edited.
  const account = { email: `redirect-${randomUUID().slice(0, 8)}@example.test`, password: "long-enough-password" };
  await signUpConfirmed(account.email, account.password, "Redirect Cook");
  for (const next of bypasses) {
    const api = await client();
    const form = await api.get(`/sign-in?next=${encodeURIComponent(next)}`);
    expect(form.status()).toBe(200);
    const html = await form.text();
    // The page itself dropped the unsafe path from the form.
    expect(hiddenInputs(html).next).toBe("");
    const response = await api.post("/sign-in", {
      multipart: { ...actionFields(html), email: account.email, password: account.password, next },
      maxRedirects: 0,
    });
    expect(response.status(), next).toBe(303);
    const location = response.headers().location!;
    expect(new URL(location, baseURL).origin, `next=${next} → ${location}`).toBe(baseURL);
    expect(new URL(location, baseURL).pathname).toBe("/dashboard");
  }
  // Better Auth's own callback URLs go through the same check.
  const api = await client();
  for (const callbackURL of bypasses) {
    const response = await api.post("/api/auth/sign-in/magic-link", {
      data: { email: `link-${randomUUID().slice(0, 8)}@example.test`, callbackURL },
      maxRedirects: 0,
    });
    expect(response.status(), callbackURL).toBe(403);
    expect(response.headers().location).toBeUndefined();
  }
});

test("a 5 MB body to /api/auth is refused with 413, and the server carries on", async () => {
  const api = await client();
  const response = await api.post("/api/auth/sign-in/email", {
    headers: { "content-type": "application/json" },
    data: JSON.stringify({ email: canary.email, password: "x".repeat(5 * 1024 * 1024) }),
  });
  expect(response.status()).toBe(413);
  expect((await api.get("/api/health")).status()).toBe(200);
});

test("a correctly signed Stripe event holding \\u0000 is acknowledged, also when Stripe retries it", async () => {
  const api = await client();
  const payload = JSON.stringify({
    id: `evt_attack_${randomUUID().slice(0, 8)}`,
    object: "event",
    type: "customer.subscription.updated",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: "sub_attack", object: "subscription", metadata: { note: `${canary.body}\u0000` } } },
  });
  expect(payload).toContain("\\u0000");
  const deliver = () =>
    api.post("/api/webhooks/stripe", {
      headers: {
        "content-type": "application/json",
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: stripeWebhookSecret }),
      },
      data: payload,
    });
  for (const response of [await deliver(), await deliver()]) {
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ received: true });
  }
});

test("issue 28 #8, #9: the Better Auth endpoints the app does not use answer 404, the others hold the forms' limits", async () => {
  const cook = await signUpConfirmed(uniqueEmail("profile"), "profile-password-1", "Profile Cook");
  const api = await signedIn(cook.email, "profile-password-1");
  // #8: a stolen session cannot read the other sessions' tokens.
  const sessions = await api.get("/api/auth/list-sessions");
  expect(sessions.status()).toBe(404);
  expect(await sessions.text()).not.toContain("token");
  // #9: no second way to write the profile, and sign-up takes the form's name and no picture.
  const longName = await api.post("/api/auth/update-user", { data: { name: "N".repeat(15_000) } });
  expect(longName.status()).toBe(404);
  const image = await api.post("/api/auth/update-user", { data: { image: "javascript:alert(1)" } });
  expect(image.status()).toBe(404);
  for (const extra of [{ name: "N".repeat(15_008) }, { name: "Ann", image: "javascript:alert(1)" }]) {
    const signUp = await (
      await client()
    ).post("/api/auth/sign-up/email", {
      data: { email: uniqueEmail("long"), password: "long-enough-password", ...extra },
    });
    expect(signUp.status()).toBe(400);
  }
  expect((await (await api.get("/api/auth/get-session")).json()).user.name).toBe("Profile Cook");
});

test("issue 28 #1: a stolen session cannot guess the password; a change signs the others out and tells the owner", async () => {
  const password = "owners-password-1";
  const cook = await signUpConfirmed(uniqueEmail("guessed"), password, "Guessed Cook");
  const owner = await signedIn(cook.email, password);
  const thief = await signedIn(cook.email, password);
  // Better Auth's own password endpoints are not served: 15 guesses and then the right password, all 404.
  for (let guess = 0; guess < 15; guess++) {
    const change = await thief.post("/api/auth/change-password", {
      data: { currentPassword: `guess-${guess}`, newPassword: "thiefs-password-1" },
    });
    expect(change.status()).toBe(404);
  }
  for (const path of ["/api/auth/verify-password", "/api/auth/change-password"]) {
    const right = await thief.post(path, { data: { password, currentPassword: password, newPassword: "thiefs-pw-1" } });
    expect(right.status(), path).toBe(404);
  }

  // The owner changes it with the /account form: the thief's session ends, and the owner is told by email.
  const changed = await postForm(owner, "/account", /name="currentPassword"/, {
    currentPassword: password,
    newPassword: "owners-new-password-1",
  });
  expect(await changed.text()).toContain("Password changed; your other sessions were signed out.");
  expect(await (await thief.get("/api/auth/get-session")).json()).toBeNull();
  // (The outbox page may hold each card twice, as HTML and in React's payload: any count means it was sent.)
  await expect.poll(() => emailsTo(cook.email, "Your Recipe Box password was changed")).toBeGreaterThan(0);

  // Stolen again: the form counts each typed password against the account's one limit, which sign-in shares.
  const again = await signedIn(cook.email, "owners-new-password-1");
  const guesses: string[] = [];
  for (let guess = 0; guess < 11; guess++) {
    const answer = await postForm(again, "/account", /name="currentPassword"/, {
      currentPassword: `guess-${guess}`,
      newPassword: "thiefs-password-1",
    });
    expect(answer.status()).toBe(200);
    guesses.push(/try again in \d+ seconds?/i.test(await answer.text()) ? "limited" : "wrong");
  }
  const firstRefusal = guesses.indexOf("limited");
  expect(firstRefusal, guesses.join()).toBeGreaterThan(0);
  expect(guesses.slice(firstRefusal)).toEqual(Array(guesses.length - firstRefusal).fill("limited"));
});

test("issue 28 #3: once a newer reset link was used, an older one sets no password", async () => {
  const cook = await signUpConfirmed(uniqueEmail("reset"), "before-reset-password", "Reset Cook");
  const api = await client();
  const requestReset = () =>
    api.post("/api/auth/request-password-reset", { data: { email: cook.email, redirectTo: "/reset-password" } });
  expect((await requestReset()).status()).toBe(200);
  const [first] = await waitForResetTokens(api, cook.email, 1);
  expect((await requestReset()).status()).toBe(200);
  const second = (await waitForResetTokens(api, cook.email, 2)).find((token) => token !== first)!;

  const used = await api.post("/api/auth/reset-password", {
    data: { token: second, newPassword: "owners-new-password" },
  });
  expect(used.status()).toBe(200);
  const stale = await api.post("/api/auth/reset-password", {
    data: { token: first, newPassword: "attackers-password" },
  });
  expect(stale.status()).toBe(400);
  expect((await stale.json()).code).toBe("INVALID_TOKEN");
  const attacker = await api.post("/api/auth/sign-in/email", {
    data: { email: cook.email, password: "attackers-password" },
  });
  expect(attacker.status()).toBe(401);
});

test("issue 28 #4: an unconfirmed account as CONTACT_TO sees none of the mail sent to that address", async () => {
  // The contact test above sent notifications to the default CONTACT_TO, owner@example.com, before any account.
  const owner = "owner@example.com";
  const squatter = await client();
  expect(
    (
      await squatter.post("/api/auth/sign-up/email", {
        data: { email: owner, password: "squatters-password", name: "Squatter" },
      })
    ).status(),
  ).toBe(200);
  expect(
    (
      await squatter.post("/api/auth/sign-in/email", { data: { email: owner, password: "squatters-password" } })
    ).status(),
  ).toBe(200);

  const exported = await (await squatter.get("/api/account/export")).json();
  expect(exported.emails).toEqual([]);

  // A new notification while the squatter's stream is open: no email.status reaches it.
  const stream = await openEvents(squatter);
  const subject = `Private ${randomUUID().slice(0, 8)}`;
  const contact = await (
    await client()
  ).post("/api/contact", {
    data: {
      name: "Visitor",
      email: uniqueEmail("visitor"),
      subject,
      message: `${canary.body} for the owner`,
      website: "",
    },
  });
  expect(contact.status()).toBe(200);
  await expect.poll(() => emailStatus(`Contact form: ${subject}`), { timeout: 20_000 }).toBe("sent");
  // Events on one channel arrive in commit order: once this recipe's event is here, an email.status would have been.
  await postForm(squatter, "/dashboard/recipes/new", /name="title"/, { title: "After the notification" });
  await stream.waitFor(/event: recipe\.changed/);
  expect(stream.text()).not.toContain("event: email.status");
  stream.close();
});

test("issue 28 #5: a checked photo cannot be replaced through its presigned POST, and is served as the image it was", async () => {
  const cook = await signUpConfirmed(uniqueEmail("photo"), "photo-password-1", "Photo Cook");
  const api = await signedIn(cook.email, "photo-password-1");
  const recipeId = await createRecipeOverHttp(api, "Soup with a photo");
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  const presigned = await (
    await api.post("/api/uploads", { data: { recipeId, contentType: "image/png", size: png.length } })
  ).json();
  expect((await postToBucket(presigned, png, "image/png")).status).toBeLessThan(300);
  const completed = await api.post("/api/uploads/complete", { data: { key: presigned.key } });
  expect(completed.status()).toBe(200);
  const { photoUrl } = await completed.json();

  // The same policy again, with a page instead of a picture and the form's Content-Type edited to say so.
  const page = Buffer.from(`<!doctype html><p>${canary.body}</p><script>alert(document.domain)</script>`);
  expect((await postToBucket(presigned, page, "text/html", { "Content-Type": "text/html" })).status).toBeLessThan(300);

  const shown = await api.get(photoUrl, { maxRedirects: 0 });
  expect(shown.status()).toBe(200);
  expect(shown.headers()["content-type"]).toBe("image/png");
  expect(shown.headers()["x-content-type-options"]).toBe("nosniff");
  expect(shown.headers()["content-disposition"]).toMatch(/^inline; filename="photo-[\w-]+\.png"$/);
  expect(Buffer.from(await shown.body())).toEqual(png);
});

test("issue 28 #6: an open event stream ends with its session: revoked from another device, or the account deleted", async () => {
  const password = "streams-password-1";
  const cook = await signUpConfirmed(uniqueEmail("streams"), password, "Stream Cook");
  const laptop = await signedIn(cook.email, password);
  const phone = await signedIn(cook.email, password);
  const phoneStream = await openEvents(phone);
  const laptopStream = await openEvents(laptop);

  const revoked = await postForm(laptop, "/account", />Sign out all other sessions</, {});
  expect(revoked.status()).toBe(200);
  await phoneStream.waitFor(/event: session-ended/);
  await phoneStream.ended();
  // And a change made afterwards reaches the laptop's stream only.
  await postForm(laptop, "/dashboard/recipes/new", /name="title"/, { title: "After the revocation" });
  await laptopStream.waitFor(/event: recipe\.changed/);
  expect(phoneStream.text()).not.toContain("recipe.changed");

  const deleted = await postForm(laptop, "/account", />Delete my account</, { password }, { maxRedirects: 0 });
  expect(deleted.status()).toBe(303);
  await laptopStream.waitFor(/event: session-ended/);
  await laptopStream.ended();
});

test("issue 28 #7, #10: a NUL in a form field is a field error, nothing of it is logged, and a body over 1 MB is 413", async () => {
  const cook = await signUpConfirmed(uniqueEmail("nul"), "nul-password-1", "Nul Cook");
  const api = await signedIn(cook.email, "nul-password-1");
  const recipe = await postForm(api, "/dashboard/recipes/new", /name="title"/, {
    title: `Secret\u0000${canary.title}`,
    description: canary.body,
  });
  expect(recipe.status()).toBe(200);
  expect(await recipe.text()).toContain("Remove the invisible control characters from this field.");
  const name = await postForm(api, "/account", /name="name"/, { name: `Nul\u0000${canary.title}` });
  expect(name.status()).toBe(200);
  expect(await name.text()).toContain("Remove the invisible control characters from this field.");

  // #10: Next's own limit on a Server Action body, answered before Next reads it.
  const form = await api.get("/sign-in");
  const html = await form.text();
  const tooLarge = await api.post("/sign-in", {
    multipart: { ...actionFields(html), email: "big@example.test", password: "x".repeat(1_100_000) },
    maxRedirects: 0,
  });
  expect(tooLarge.status()).toBe(413);
  expect((await api.get("/api/health")).status()).toBe(200);
});

test("issue 28 #2: a flood of email requests locks nobody out; past the ceiling, proof of work gets a real user through", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const password = "flood-password-1";
  const cook = await signUpConfirmed(uniqueEmail("flooded"), password, "Flooded Cook");
  const flood = startEmailFlood();
  try {
    await flood.refused;

    // Sign-in has its own ceiling: the right password gets in over the API and through the form without JavaScript.
    const api = await client();
    expect((await api.post("/api/auth/sign-in/email", { data: { email: cook.email, password } })).status()).toBe(200);
    const form = await (await client()).get("/sign-in");
    const noScript = await (
      await client()
    ).post("/sign-in", {
      multipart: { ...actionFields(await form.text()), email: cook.email, password, next: "/dashboard" },
      maxRedirects: 0,
    });
    expect(noScript.status()).toBe(303);

    // A sign-up meets the email ceiling: 429 naming the challenge, and a solved one gets it through, once.
    const newcomer = { email: uniqueEmail("newcomer"), password: "newcomers-password", name: "Newcomer" };
    const refused = await (await client()).post("/api/auth/sign-up/email", { data: newcomer });
    expect(refused.status()).toBe(429);
    const hint = await refused.json();
    expect(hint).toMatchObject({ code: "CHALLENGE_REQUIRED", challenge: "altcha" });
    const proof = await solve(hint.challengeUrl);
    const through = await (
      await client()
    ).post("/api/auth/sign-up/email", {
      data: newcomer,
      headers: { "x-altcha": proof },
    });
    expect(through.status()).toBe(200);
    const replay = await (
      await client()
    ).post("/api/auth/sign-up/email", {
      data: { ...newcomer, email: uniqueEmail("replay") },
      headers: { "x-altcha": proof },
    });
    expect(replay.status()).toBe(429);

    // In a browser, while the flood goes on: the sign-up form's widget has solved a challenge by the time it is sent,
    // and the existing cook signs in.
    const context = await browser.newContext({ baseURL });
    try {
      const page = await context.newPage();
      await page.goto("/sign-up");
      await page.getByLabel("Name", { exact: true }).fill("Browser Newcomer");
      await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("browser"));
      await page.getByLabel("Password", { exact: true }).fill("browser-password-1");
      await expect(page.locator('input[name="altcha"]')).toHaveValue(/.{40,}/, { timeout: 60_000 });
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

      await page.goto("/sign-in");
      await page.getByLabel("Email", { exact: true }).first().fill(cook.email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page).toHaveURL(TEAM_HOME);
      await expect(page.getByText(`Signed in as ${cook.email}`)).toBeVisible();
    } finally {
      await context.close();
    }
  } finally {
    const statuses = await flood.stop();
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
  }
});

test("the server's log holds no address, password, message body or token", async () => {
  // Everything the requests above queued (emails, webhook processing) has run by the time the server stops.
  const api = await client();
  const outbox = await (await api.get("/dev/emails")).text();
  const tokens = [...outbox.matchAll(/[?;]token=([\w.-]{16,})/g)].map((match) => match[1]!);
  expect(tokens.length).toBeGreaterThan(0);
  await stopServer();

  expect(log).toContain('"msg":"request"');
  for (const value of [...Object.values(canary), ...tokens]) expect(log, "a canary is in the log").not.toContain(value);
  expect(log).not.toMatch(/[?&]token=[\w.-]{16,}/);
});

/** Signs up through the HTTP API and follows the confirmation link from the outbox, as the email's reader would. */
async function signUpConfirmed(email: string, password: string, name: string) {
  const api = await client();
  const signUp = await api.post("/api/auth/sign-up/email", { data: { email, password, name } });
  expect(signUp.status()).toBe(200);
  const { user } = await signUp.json();
  const link = await confirmationLink(api, email);
  const confirmed = await api.get(link, { maxRedirects: 0 });
  expect(confirmed.status()).toBe(302);
  return { id: user.id as string, email, name };
}

/**
 * The confirmation link emailed to `email`, as listed at /dev/emails. The list may
 * arrive as HTML or inside the streamed React payload, so each link's token (a
 * JWT) is read for the address it confirms.
 */
async function confirmationLink(api: APIRequestContext, email: string) {
  // The email leaves after the answer (the outbox's job): poll until it is there, for as long as a busy machine needs.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const page = await (await api.get("/dev/emails")).text();
    for (const [, token] of page.matchAll(/verify-email\?token=([\w-]+\.[\w-]+\.[\w-]+)/g)) {
      const claims = JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString());
      if (claims.email === email) return `/api/auth/verify-email?token=${token}&callbackURL=%2Fdashboard`;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no confirmation email for ${email}`);
}

async function signIn(api: APIRequestContext, email: string, password: string) {
  const response = await api.post("/api/auth/sign-in/email", { data: { email, password } });
  expect(response.status()).toBe(200);
  return api;
}

/**
 * Better Auth's session cookies, made from scratch for `user` and signed with
 * `secret`: the session token cookie (value.HMAC) and a cookie cache (the
 * session and user as signed JSON), which a server with `cookieCache` on would
 * trust for five minutes without asking the database (ours has it off).
 */
function forgeSessionCookie(
  secret: string,
  user: { id: string; email: string; name: string },
  token = randomBytes(24).toString("base64url"),
) {
  const now = Date.now();
  const sessionData = {
    session: {
      id: randomUUID(),
      token,
      userId: user.id,
      expiresAt: new Date(now + 7 * 24 * 3600_000).toISOString(),
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
      ipAddress: "",
      userAgent: "",
    },
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: true,
      image: null,
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    },
    updatedAt: now,
    version: "1",
  };
  const expiresAt = now + 5 * 60_000;
  const signature = createHmac("sha256", secret)
    .update(JSON.stringify({ ...sessionData, expiresAt }))
    .digest("base64url");
  const cache = Buffer.from(JSON.stringify({ session: sessionData, expiresAt, signature })).toString("base64url");
  const signedToken = `${token}.${createHmac("sha256", secret).update(token).digest("base64")}`;
  return `better-auth.session_token=${encodeURIComponent(signedToken)}; better-auth.session_data=${cache}`;
}

function uniqueEmail(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A fresh client signed in with this address and password. */
async function signedIn(email: string, password: string) {
  return signIn(await client(), email, password);
}

/** The session cookie of a signed-in client, as a request header. */
async function cookieOf(api: APIRequestContext) {
  const { cookies } = await api.storageState();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** The forms of a page, each as its own HTML. */
function formsOf(html: string): string[] {
  return [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((match) => match[0]);
}

/** The hidden inputs of one form, by name. */
function hiddenFields(form: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    if (!/type="hidden"/.test(input)) continue;
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[decodeEntities(name)] = decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? "");
  }
  return fields;
}

/**
 * Posts the form of `path` whose HTML matches `which` as a browser without JavaScript does: the Server
 * Action's hidden fields, then `fields`, to the page the form is on (where `path` redirects, e.g.
 * /dashboard/recipes/new to the personal team's). The answer is the page again (200, with the form's
 * message) or a redirect (303), which is not followed unless asked.
 */
async function postForm(
  api: APIRequestContext,
  path: string,
  which: RegExp,
  fields: Record<string, string>,
  { maxRedirects = 0 } = {},
) {
  const page = await api.get(path);
  expect(page.status(), path).toBe(200);
  const form = formsOf(await page.text()).find((html) => which.test(html));
  expect(form, `a form on ${path} matching ${which}`).toBeDefined();
  return api.post(page.url(), { multipart: { ...hiddenFields(form!), ...fields }, maxRedirects });
}

/** Creates a recipe through the new-recipe form; its id, from the edit link on the team page it returns to. */
async function createRecipeOverHttp(api: APIRequestContext, title: string) {
  const created = await postForm(api, "/dashboard/recipes/new", /name="title"/, { title });
  expect(created.status()).toBe(303);
  const dashboard = await (await api.get("/dashboard")).text();
  return /\/t\/[a-z0-9-]+\/recipes\/([0-9a-f-]{36})\/edit/.exec(dashboard)![1]!;
}

/** The outbox's cards (HTML, or React's streamed payload), each from its template marker to the next. */
async function outboxCards() {
  const page = await (await (await client()).get("/dev/emails")).text();
  return page.split(/data-template/).slice(1);
}

/** How many cards of emails to `to` with `subject` the outbox page holds. */
async function emailsTo(to: string, subject: string) {
  return (await outboxCards()).filter((card) => card.includes(to) && card.includes(subject)).length;
}

/** The delivery status of the email with this subject, as the outbox shows it. */
async function emailStatus(subject: string) {
  const card = (await outboxCards()).find((text) => text.includes(subject));
  return card && /data-status"?[=:]\s*"(\w+)"/.exec(card)?.[1];
}

/** The tokens of the reset links sent to `email`, once there are at least `count`. */
async function waitForResetTokens(api: APIRequestContext, email: string, count: number) {
  let tokens: string[] = [];
  await expect
    .poll(async () => {
      const page = await (await api.get("/dev/emails")).text();
      const cards = page
        .split(/data-template/)
        .slice(1)
        .filter((card) => card.includes(email));
      tokens = [
        ...new Set(cards.flatMap((card) => [...card.matchAll(/reset-password\/([\w-]{16,})/g)].map((m) => m[1]!))),
      ];
      return tokens.length;
    })
    .toBeGreaterThanOrEqual(count);
  return tokens;
}

/** GET /api/events as this client, read as it arrives (Playwright's client would wait for the end). */
async function openEvents(api: APIRequestContext) {
  const abort = new AbortController();
  const response = await fetch(`${baseURL}/api/events`, {
    headers: { cookie: await cookieOf(api) },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let received = "";
  let done = false;
  const reading = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        received += decoder.decode(chunk.value, { stream: true });
      }
    } catch {
      // Aborted by close().
    } finally {
      done = true;
    }
  })();
  return {
    text: () => received,
    waitFor: (pattern: RegExp) => expect.poll(() => pattern.test(received), { timeout: 15_000 }).toBe(true),
    ended: () => expect.poll(() => done, { timeout: 15_000 }).toBe(true),
    close: () => {
      abort.abort();
      return reading;
    },
  };
}

/** Posts a file to a presigned POST as a browser's form would, with the form's fields (some edited). */
async function postToBucket(
  presigned: { url: string; fields: Record<string, string> },
  file: Buffer,
  type: string,
  edits: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...presigned.fields, ...edits })) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(file)], { type }), "photo.png");
  return fetch(presigned.url, { method: "POST", body: form });
}

/** A challenge from `challengeUrl`, solved as the sign-in forms' widget does: the `X-Altcha` payload. */
async function solve(challengeUrl: string) {
  const challenge = (await (await (await client()).get(challengeUrl)).json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

/**
 * One anonymous client asking for confirmation emails to random addresses, six at a time, until stopped:
 * `refused` resolves once the email ceiling answers 429; `stop()` ends it and gives every status.
 */
function startEmailFlood() {
  const statuses: number[] = [];
  let running = true;
  let onRefused!: () => void;
  const refused = new Promise<void>((resolve) => (onRefused = resolve));
  const worker = async () => {
    while (running) {
      const answer = await fetch(`${baseURL}/api/auth/send-verification-email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseURL },
        body: JSON.stringify({ email: uniqueEmail("flood") }),
      }).catch(() => null);
      if (!answer) continue;
      await answer.body?.cancel();
      statuses.push(answer.status);
      if (answer.status === 429) onRefused();
    }
  };
  const workers = Array.from({ length: 6 }, worker);
  return {
    refused,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return statuses;
    },
  };
}

/** The hidden inputs of the page's first form, by name. */
function hiddenInputs(html: string): Record<string, string> {
  const form = html.slice(html.indexOf("<form"), html.indexOf("</form>"));
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    if (!/type="hidden"/.test(input)) continue;
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[decodeEntities(name)] = decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? "");
  }
  return fields;
}

/** The fields React renders so a form posts to its Server Action without JavaScript. */
function actionFields(html: string) {
  return Object.fromEntries(Object.entries(hiddenInputs(html)).filter(([name]) => name.startsWith("$ACTION")));
}

function decodeEntities(text: string) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server stopped at start-up:\n${log}`);
    const answer = await fetch(url).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server did not become healthy:\n${log}`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
