import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import Stripe from "stripe";
import playwrightConfig from "../playwright.config";

/**
 * The attack from issue 11, repeated from outside against a production server
 * (`next start` of this build, no proxy in front, as a Docker or self-hosted
 * deployment runs it), with nothing but HTTP. The server is started here rather
 * than by Playwright so its log can be read at the end: no canary (address,
 * password, message body, token) may be in it. It uses a fresh embedded
 * database, or Postgres when E2E_DATABASE_URL is set (migrated first).
 */

const canary = {
  email: `canary-${randomUUID().slice(0, 8)}@example.test`,
  password: `canary-password-${randomUUID()}`,
  body: `canary-body-${randomUUID()}`,
};
const serverSecret = randomBytes(32).toString("base64url");
const stripeWebhookSecret = `whsec_${randomBytes(24).toString("base64url")}`;
/** Whatever lib/env.ts once used when no secret was set: the attacker read it in the source. */
const devSecretFromSource = /const DEV_AUTH_SECRET = "([^"]+)"/.exec(
  fs.readFileSync(path.join(process.cwd(), "lib/env.ts"), "utf8"),
)?.[1];
/** Better Auth's own fallback secret, also public. */
const betterAuthDefaultSecret = "better-auth-secret-12345678901234567890";

let server: ChildProcess;
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
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a session cookie forged with a public secret is refused on pages, reads and writes", async () => {
  expect(devSecretFromSource, "the dev secret is still in lib/env.ts for the attacker to read").toBeTruthy();
  const api = await client();
  const session = (cookie: string) => api.get("/api/auth/get-session", { headers: { cookie } });

  // The forging is right: the victim's real session token signed with the server's own secret is a session.
  const owner = await signIn(await client(), canary.email, canary.password);
  const ownerCookie = (await owner.storageState()).cookies.find((c) => c.name === "better-auth.session_token")!;
  const realToken = decodeURIComponent(ownerCookie.value).split(".")[0]!;
  expect((await (await session(forgeSessionCookie(serverSecret, victim, realToken))).json())?.user?.id).toBe(victim.id);
  // With no cookie cache, every request asks the database: a made-up session is nothing, even signed with the secret.
  expect(await (await session(forgeSessionCookie(serverSecret, victim))).json()).toBeNull();

  for (const secret of [devSecretFromSource!, betterAuthDefaultSecret]) {
    const cookie = forgeSessionCookie(secret, victim);
    expect(await (await session(cookie)).json()).toBeNull();

    // The dashboard streams (it has a loading state), so the redirect to sign-in is a 307 or, once streaming, in the page.
    const dashboard = await api.get("/dashboard", { headers: { cookie }, maxRedirects: 0 });
    const page = await dashboard.text();
    expect(dashboard.headers().location ?? page).toContain("/sign-in?next=%2Fdashboard");
    expect(page).not.toContain(victim.email);
    expect(page).not.toContain("Signed in as");

    const write = await api.post("/api/auth/update-user", { headers: { cookie }, data: { name: "Pwned" } });
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
  for (let attempt = 0; attempt < 20; attempt++) {
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
