import "server-only";
import { z } from "zod";
import { DEV_AUTH_SECRET, DEV_RESEND_WEBHOOK_SECRET, DEV_STRIPE_WEBHOOK_SECRET } from "./dev-secrets";

/**
 * The one place that reads process.env. Every variable is optional in
 * development: a missing one switches its feature to a local default
 * (see `localDefaults`). A bad value fails start-up with one message that
 * names every bad variable.
 */

// `FOO=` in a .env file arrives as "": treat it as unset.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const url = (protocols: string[], hint: string) =>
  z.url({ protocol: new RegExp(`^(${protocols.join("|")})$`), error: hint });

const prefixed = (prefix: string, what: string) =>
  z
    .string()
    .trim()
    .startsWith(prefix, { error: `must be ${what} (starts with "${prefix}")` });

const flag = z
  .enum(["1", "0", "true", "false"], { error: 'must be "1" or "0"' })
  .transform((value) => value === "1" || value === "true");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    VERCEL: optional(z.string()),
    RENDER: optional(z.string()),
    /** Set by Next itself; "phase-production-build" while `next build` runs. */
    NEXT_PHASE: optional(z.string()),
    LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),

    DATABASE_URL: optional(url(["postgres", "postgresql"], "must be a postgres:// or postgresql:// URL")),
    DATABASE_POOL_MAX: optional(z.coerce.number().int().min(1).max(100)),
    /** "0" behind a pooler that cannot keep prepared statements (Supabase's transaction mode, PgBouncer before 1.21). */
    DATABASE_PREPARED_STATEMENTS: optional(flag),
    /**
     * A direct (session) connection for the real-time LISTEN, when DATABASE_URL goes through a
     * transaction pooler (PgBouncer, Neon's pooled URL), which cannot LISTEN.
     */
    DATABASE_URL_UNPOOLED: optional(url(["postgres", "postgresql"], "must be a postgres:// or postgresql:// URL")),
    /** The embedded database's directory when DATABASE_URL is unset (default `.data/pglite`); the browser tests point it at a fresh one. */
    PGLITE_DATA_DIR: optional(z.string().trim()),

    BETTER_AUTH_SECRET: optional(z.string().min(32, { error: "must be at least 32 characters" })),
    AUTH_SECRET: optional(z.string().min(32, { error: "must be at least 32 characters" })),
    BETTER_AUTH_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    APP_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    /** The port the server listens on: `next dev -p 3001` (or PORT=3001) sets it in the server process itself. */
    PORT: optional(z.coerce.number().int().min(1).max(65535)),

    STRIPE_SECRET_KEY: optional(
      z
        .string()
        .trim()
        .regex(/^(sk|rk)_/, { error: 'must be a Stripe secret key ("sk_..." or "rk_...")' }),
    ),
    STRIPE_WEBHOOK_SECRET: optional(prefixed("whsec_", "a Stripe webhook signing secret")),
    STRIPE_PRICE_ID: optional(prefixed("price_", "a Stripe price id")),

    RESEND_API_KEY: optional(prefixed("re_", "a Resend API key")),
    RESEND_WEBHOOK_SECRET: optional(prefixed("whsec_", "a Resend (Svix) webhook signing secret")),
    RESEND_BASE_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    EMAIL_FROM: optional(z.string().trim().min(3)),
    CONTACT_TO: optional(z.email({ error: "must be an email address" })),

    UPSTASH_REDIS_REST_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    UPSTASH_REDIS_REST_TOKEN: optional(z.string().min(1)),
    CONTACT_RATE_LIMIT: optional(z.coerce.number().int().min(1)),
    CONTACT_RATE_WINDOW_SECONDS: optional(z.coerce.number().int().min(1)),
    AUTH_RATE_LIMIT: optional(z.coerce.number().int().min(1)),
    /** Password sign-ins for all accounts together, per minute; past it, a proof of work gets through. */
    AUTH_GLOBAL_RATE_LIMIT: optional(z.coerce.number().int().min(1)),
    /** Requests that send an account email (sign-up, magic link, reset, confirmation), all together, per minute. */
    AUTH_EMAIL_GLOBAL_RATE_LIMIT: optional(z.coerce.number().int().min(1)),
    CONTACT_GLOBAL_RATE_LIMIT: optional(z.coerce.number().int().min(1)),
    API_RATE_LIMIT_PER_KEY: optional(z.coerce.number().int().min(1)),
    API_RATE_LIMIT_PER_TEAM: optional(z.coerce.number().int().min(1)),
    /** Which proxy's client-IP header to believe: vercel, cloudflare, a hop count, or none. */
    TRUST_PROXY: optional(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^(vercel|cloudflare|none|[1-9]\d?)$/, {
          error: 'must be "vercel", "cloudflare", "none" or a hop count such as "1"',
        }),
    ),

    TRIGGER_SECRET_KEY: optional(prefixed("tr_", "a Trigger.dev secret key")),
    TRIGGER_API_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    TRIGGER_PROJECT_REF: optional(prefixed("proj_", "a Trigger.dev project ref")),

    AI_MODEL: optional(
      z
        .string()
        .trim()
        .regex(/^(anthropic|openai|offline):[\w.:-]+$/, {
          error:
            'must be "provider:model-id" with provider anthropic, openai or offline (e.g. "anthropic:claude-sonnet-4-5")',
        }),
    ),
    ANTHROPIC_API_KEY: optional(z.string().trim().min(1)),
    ANTHROPIC_BASE_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    OPENAI_API_KEY: optional(z.string().trim().min(1)),
    OPENAI_BASE_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    AI_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(800_000)),
    AI_BURST_LIMIT: optional(z.coerce.number().int().min(1)),
    S3_BUCKET: optional(
      z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name (lowercase, 3-63 chars)" }),
    ),
    S3_REGION: optional(z.string().trim()),
    /** Only for S3-compatible services (R2, MinIO, Ceph...); AWS S3 needs none. */
    S3_ENDPOINT: optional(url(["http", "https"], "must be an http(s) URL")),
    S3_ACCESS_KEY_ID: optional(z.string().trim().min(1)),
    S3_SECRET_ACCESS_KEY: optional(z.string().trim().min(1)),
    /** The port of the local S3 server `npm run dev` starts when S3_BUCKET is unset (default 4568). */
    S3_LOCAL_PORT: optional(z.coerce.number().int().min(0).max(65535)),

    /** Rows the sweeper claims per statement (webhook events, emails); default 100. */
    SWEEP_BATCH_SIZE: optional(z.coerce.number().int().min(1).max(10_000)),
    /** Rows of a batch the sweeper works on at once, each holding a pool connection; default 4. */
    SWEEP_CONCURRENCY: optional(z.coerce.number().int().min(1).max(100)),
    /** In-process background jobs (no Trigger.dev) running at once per server; default 2. */
    JOB_CONCURRENCY: optional(z.coerce.number().int().min(1).max(100)),
    /**
     * On SIGTERM, how long a server waits for its requests in flight and in-process jobs before it
     * gives what is left back to the sweeper and exits; default 25. Keep it under the host's grace
     * period (Render's maxShutdownDelaySeconds, Kubernetes' terminationGracePeriodSeconds).
     */
    SHUTDOWN_DRAIN_SECONDS: optional(z.coerce.number().int().min(1).max(3600)),
    /** Set by `npm start`: Next then leaves SIGTERM and SIGINT to the app, which drains (lib/drain). */
    NEXT_MANUAL_SIG_HANDLE: optional(z.string()),
    /** Days a processed webhook event (with its raw payload) is kept; default 30. */
    WEBHOOK_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
    /** Days a sent email keeps its rendered body and template props; default 30. */
    EMAIL_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
    /** Days a contact form message is kept; default 180. */
    CONTACT_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
    /** Days an audit event is kept; default 365. Each team's hash chain then starts at its oldest kept event. */
    AUDIT_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
    /** Outbound webhooks through Svix (one application per team) instead of the app's own delivery. */
    SVIX_API_KEY: optional(z.string().trim().min(1)),
    /** Svix's API for another region or a self-hosted server; the key's region otherwise. */
    SVIX_SERVER_URL: optional(url(["http", "https"], "must be an http(s) URL")),
    /** "1" lets outbound webhooks reach private and loopback addresses (on by default outside production). */
    WEBHOOKS_ALLOW_PRIVATE_URLS: optional(flag),
    /**
     * Comma-separated addresses whose confirmed accounts are operators (/admin). Unset: nobody, except the seeded
     * demo user in development (`next dev`); a production start never takes an operator from the source.
     */
    ADMIN_EMAILS: optional(
      z
        .string()
        .transform((list) =>
          list
            .split(",")
            .map((address) => address.trim().toLowerCase())
            .filter(Boolean),
        )
        .pipe(z.array(z.email({ error: "must be a comma-separated list of email addresses" }))),
    ),
    CRON_SECRET: optional(z.string().min(16, { error: "must be at least 16 characters" })),
    ENABLE_DEV_TOOLS: optional(flag),

    /** How long one /api/events stream stays open before the browser reconnects (default: 280 on Vercel, no limit elsewhere). */
    REALTIME_STREAM_MAX_SECONDS: optional(z.coerce.number().int().min(5).max(86_400)),
    /** Open /api/events streams per user; the oldest is closed past this (default 5). */
    REALTIME_STREAMS_PER_USER: optional(z.coerce.number().int().min(1).max(50)),
    SENTRY_DSN: optional(url(["http", "https"], "must be a Sentry DSN (https://KEY@HOST/PROJECT)")),
    /** The browser's DSN; Next inlines it into the client bundle at build time (a DSN is public by design). */
    NEXT_PUBLIC_SENTRY_DSN: optional(url(["http", "https"], "must be a Sentry DSN (https://KEY@HOST/PROJECT)")),
    /** Only for `next build`: uploads source maps to Sentry. */
    SENTRY_AUTH_TOKEN: optional(z.string().trim().min(1)),
    SENTRY_ORG: optional(z.string().trim().min(1)),
    SENTRY_PROJECT: optional(z.string().trim().min(1)),
    SENTRY_ENVIRONMENT: optional(z.string().trim().min(1)),
    POSTHOG_KEY: optional(z.string().trim().min(1)),
    POSTHOG_HOST: optional(url(["http", "https"], "must be an http(s) URL")),
    // OAuth sign-in: each provider's button shows only when both its id and secret are set.
    GITHUB_CLIENT_ID: optional(z.string().trim().min(1)),
    GITHUB_CLIENT_SECRET: optional(z.string().trim().min(1)),
    GOOGLE_CLIENT_ID: optional(z.string().trim().min(1)),
    GOOGLE_CLIENT_SECRET: optional(z.string().trim().min(1)),
  })
  .superRefine((vars, ctx) => {
    // `next build` (and `vercel build`, which runs it with VERCEL=1) needs neither the database nor any secret:
    // a first deploy before the database is connected must build. The built functions check again when they start.
    const building = vars.NEXT_PHASE === "phase-production-build";
    const deployed = vars.NODE_ENV === "production" && (vars.VERCEL === "1" || vars.RENDER === "true") && !building;
    // Any production start (next start, a container, a host, a serverless function), but not the build.
    const productionStart = vars.NODE_ENV === "production" && !building;
    if (deployed && !vars.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "is required in production (the embedded database does not persist on serverless hosts)",
      });
    }
    if (productionStart && !vars.BETTER_AUTH_SECRET && !vars.AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["BETTER_AUTH_SECRET"],
        message:
          "is required in production (or AUTH_SECRET): with the public dev secret anyone could sign a session cookie",
      });
    }
    const aiProvider = vars.AI_MODEL?.split(":")[0];
    if (aiProvider === "anthropic" && !vars.ANTHROPIC_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["ANTHROPIC_API_KEY"],
        message: "is required when AI_MODEL is anthropic:*",
      });
    }
    if (aiProvider === "openai" && !vars.OPENAI_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["OPENAI_API_KEY"], message: "is required when AI_MODEL is openai:*" });
    }
    if (Boolean(vars.UPSTASH_REDIS_REST_URL) !== Boolean(vars.UPSTASH_REDIS_REST_TOKEN)) {
      const missing = vars.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "must be set together with the other UPSTASH_REDIS_REST_* variable",
      });
    }
    for (const provider of ["GITHUB", "GOOGLE"] as const) {
      const id = vars[`${provider}_CLIENT_ID`];
      const secret = vars[`${provider}_CLIENT_SECRET`];
      if (Boolean(id) !== Boolean(secret)) {
        const other = id ? `${provider}_CLIENT_ID` : `${provider}_CLIENT_SECRET`;
        ctx.addIssue({
          code: "custom",
          path: [id ? `${provider}_CLIENT_SECRET` : `${provider}_CLIENT_ID`],
          message: `must be set together with ${other} (the OAuth app's id and secret)`,
        });
      }
    }
    if (vars.S3_BUCKET && (!vars.S3_ACCESS_KEY_ID || !vars.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [vars.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"],
        message: "is required with S3_BUCKET (the app signs upload and download URLs with it)",
      });
    }
  });

type Vars = z.infer<typeof schema>;

/** The seed's demo user (scripts/seed.ts), the operator of a development server without ADMIN_EMAILS. */
export const DEV_ADMIN_EMAIL = "demo@example.com";

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid environment variables:\n${problems.map((p) => `  - ${p.variable} ${p.message}`).join("\n")}\n` +
        "Fix them in .env.local (see .env.example) or in your host's settings.",
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>) {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "env"), message: issue.message })),
    );
  }
  return withDerived(result.data);
}

function withDerived(vars: Vars) {
  const isProduction = vars.NODE_ENV === "production";
  return {
    ...vars,
    isProduction,
    isTest: vars.NODE_ENV === "test",
    appUrl: (vars.APP_URL ?? vars.BETTER_AUTH_URL ?? localAppUrl(vars)).replace(/\/$/, ""),
    // In a production start the schema above has already refused a missing secret; only `next build` gets here without one.
    authSecret: vars.BETTER_AUTH_SECRET ?? vars.AUTH_SECRET ?? DEV_AUTH_SECRET,
    stripeWebhookSecret: vars.STRIPE_WEBHOOK_SECRET ?? (isProduction ? undefined : DEV_STRIPE_WEBHOOK_SECRET),
    resendWebhookSecret: vars.RESEND_WEBHOOK_SECRET ?? (isProduction ? undefined : DEV_RESEND_WEBHOOK_SECRET),
    emailFrom: vars.EMAIL_FROM ?? "Recipe Box <onboarding@resend.dev>",
    contactTo: vars.CONTACT_TO ?? "owner@example.com",
    contactRateLimit: vars.CONTACT_RATE_LIMIT ?? 10,
    contactRateWindowSeconds: vars.CONTACT_RATE_WINDOW_SECONDS ?? 10,
    authRateLimit: vars.AUTH_RATE_LIMIT ?? 10,
    aiModel: vars.AI_MODEL ?? defaultAiModel(vars),
    aiTimeoutMs: vars.AI_TIMEOUT_MS ?? 60_000,
    aiBurstLimit: vars.AI_BURST_LIMIT ?? 5,
    authGlobalRateLimit: vars.AUTH_GLOBAL_RATE_LIMIT ?? 300,
    authEmailGlobalRateLimit: vars.AUTH_EMAIL_GLOBAL_RATE_LIMIT ?? 100,
    contactGlobalRateLimit: vars.CONTACT_GLOBAL_RATE_LIMIT ?? 30,
    apiRateLimitPerKey: vars.API_RATE_LIMIT_PER_KEY ?? 600,
    apiRateLimitPerTeam: vars.API_RATE_LIMIT_PER_TEAM ?? 1200,
    trustProxy: vars.TRUST_PROXY ?? (vars.VERCEL === "1" ? "vercel" : "none"),
    devToolsEnabled: !isProduction || vars.ENABLE_DEV_TOOLS === true,
    // Local receivers (the dev tools' /dev/webhook-receiver, a test's server) live on loopback addresses.
    webhooksAllowPrivateUrls: vars.WEBHOOKS_ALLOW_PRIVATE_URLS ?? !isProduction,
    // Operators (lib/auth/operators.ts). Only `next dev` falls back to the seed's demo user (scripts/seed.ts).
    adminEmails: vars.ADMIN_EMAILS ?? (vars.NODE_ENV === "development" ? [DEV_ADMIN_EMAIL] : []),
    sweepBatchSize: vars.SWEEP_BATCH_SIZE ?? 100,
    sweepConcurrency: vars.SWEEP_CONCURRENCY ?? 4,
    jobConcurrency: vars.JOB_CONCURRENCY ?? 2,
    shutdownDrainSeconds: vars.SHUTDOWN_DRAIN_SECONDS ?? 25,
    preparedStatements: vars.DATABASE_PREPARED_STATEMENTS !== false,
    webhookRetentionDays: vars.WEBHOOK_RETENTION_DAYS ?? 30,
    emailRetentionDays: vars.EMAIL_RETENTION_DAYS ?? 30,
    contactRetentionDays: vars.CONTACT_RETENTION_DAYS ?? 180,
    auditRetentionDays: vars.AUDIT_RETENTION_DAYS ?? 365,
    oauth: {
      github:
        vars.GITHUB_CLIENT_ID && vars.GITHUB_CLIENT_SECRET
          ? { clientId: vars.GITHUB_CLIENT_ID, clientSecret: vars.GITHUB_CLIENT_SECRET }
          : undefined,
      google:
        vars.GOOGLE_CLIENT_ID && vars.GOOGLE_CLIENT_SECRET
          ? { clientId: vars.GOOGLE_CLIENT_ID, clientSecret: vars.GOOGLE_CLIENT_SECRET }
          : undefined,
    },
  };
}

/**
 * Absolute links (emails, Better Auth's callbacks) without APP_URL: in development, the port the dev server
 * really runs on (`npm run dev -- -p 3001`), so a second checkout's emails do not link the first one's server.
 */
function localAppUrl(vars: Vars): string {
  const port = vars.NODE_ENV === "development" && vars.PORT ? vars.PORT : 3000;
  return `http://localhost:${port}`;
}

/** Without AI_MODEL: the provider whose key is set, else the offline sample model (lib/ai/offline-model.ts). */
function defaultAiModel(vars: Vars): string {
  if (vars.ANTHROPIC_API_KEY) return "anthropic:claude-sonnet-4-5";
  if (vars.OPENAI_API_KEY) return "openai:gpt-5-mini";
  return "offline:sample-drafts";
}

export type Env = ReturnType<typeof parseEnv>;

/** One line per feature that runs on its local default, for the start-up log. */
export function localDefaults(e: Env): string[] {
  const notes: string[] = [];
  if (!e.DATABASE_URL)
    notes.push(`DATABASE_URL unset: using the embedded PGlite database in ${e.PGLITE_DATA_DIR ?? ".data/pglite"}`);
  if (!e.BETTER_AUTH_SECRET && !e.AUTH_SECRET)
    notes.push("BETTER_AUTH_SECRET unset: signing sessions with the public dev secret");
  if (!e.APP_URL && !e.BETTER_AUTH_URL) notes.push(`APP_URL unset: absolute links use ${e.appUrl}`);
  // The dev tools are 404 in a production start (unless ENABLE_DEV_TOOLS=1): name them only where they answer.
  if (!e.STRIPE_SECRET_KEY)
    notes.push(
      e.devToolsEnabled
        ? "STRIPE_SECRET_KEY unset: billing shows 'not configured'; use the simulator at /dev/stripe"
        : "STRIPE_SECRET_KEY unset: billing shows 'not configured' and upgrading is off",
    );
  if (!e.STRIPE_WEBHOOK_SECRET && !e.isProduction)
    notes.push("STRIPE_WEBHOOK_SECRET unset: webhooks are verified with the local dev secret");
  if (!e.RESEND_API_KEY)
    notes.push(
      e.devToolsEnabled
        ? "RESEND_API_KEY unset: emails go to the dev outbox at /dev/emails"
        : "RESEND_API_KEY unset: emails are recorded but not sent to anyone",
    );
  if (!e.RESEND_WEBHOOK_SECRET && !e.isProduction)
    notes.push("RESEND_WEBHOOK_SECRET unset: Resend webhooks are verified with the local dev secret");
  if (!e.UPSTASH_REDIS_REST_URL)
    notes.push(
      e.DATABASE_URL
        ? "UPSTASH_REDIS_REST_URL unset: rate limits count in PostgreSQL, shared by every instance"
        : "UPSTASH_REDIS_REST_URL unset: rate limits count in this process (in-process fixed windows)",
    );
  if (!e.TRIGGER_SECRET_KEY) notes.push("TRIGGER_SECRET_KEY unset: background jobs run in-process after the response");
  if (e.aiModel.startsWith("offline:"))
    notes.push("AI_MODEL and provider keys unset: AI drafts come from the offline sample model");
  if (!e.S3_BUCKET)
    notes.push(
      e.isProduction
        ? "S3_BUCKET unset: recipe photo uploads are off"
        : `S3_BUCKET unset: recipe photos go to a local S3 server on port ${e.S3_LOCAL_PORT ?? 4568} (data in .data/s3)`,
    );
  if (!e.SVIX_API_KEY)
    notes.push("SVIX_API_KEY unset: outbound webhooks are signed and delivered by the app itself (lib/webhooks-out)");
  if (!e.ADMIN_EMAILS)
    notes.push(
      e.adminEmails.length
        ? `ADMIN_EMAILS unset: the demo user ${DEV_ADMIN_EMAIL} is the operator (/admin) in development`
        : "ADMIN_EMAILS unset: nobody is an operator (/admin answers 404)",
    );
  if (!e.CRON_SECRET) notes.push("CRON_SECRET unset: /api/cron/* refuses every call");
  if (!e.SENTRY_DSN) notes.push("SENTRY_DSN unset: server errors go to the structured log only");
  if (!e.POSTHOG_KEY) notes.push("POSTHOG_KEY unset: product events are not sent");
  if (!e.oauth.github) notes.push("GITHUB_CLIENT_ID/_SECRET unset: no GitHub sign-in button");
  if (!e.oauth.google) notes.push("GOOGLE_CLIENT_ID/_SECRET unset: no Google sign-in button");
  return notes;
}

// Some SDKs read their variables themselves (the AI SDK reads ANTHROPIC_BASE_URL and OPENAI_BASE_URL as soon
// as it is imported, and refuses an empty one), so the empty `FOO=` lines of a copied .env.example are made
// unset for them too. Modules that import such an SDK import this module first.
for (const key of Object.keys(schema.shape)) {
  if (process.env[key]?.trim() === "") delete process.env[key];
}

export const env: Env = parseEnv(process.env);
