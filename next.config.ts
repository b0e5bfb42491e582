import fs from "node:fs";
import path from "node:path";
import { withSentryConfig } from "@sentry/nextjs/config";
import type { NextConfig } from "next";
import { NOT_DEPLOYED_PACKAGES, pruneTrace } from "./lib/core/trace-prune";
import { bucketOrigin } from "./lib/storage/origin";

const isDev = process.env.NODE_ENV === "development";
// A separate output folder lets a test build next to a developer's .next (see tests/build).
// `||`, not `??`: the empty `NEXT_DIST_DIR=` of a copied .env.example means ".next".
const distDir = process.env.NEXT_DIST_DIR || ".next";
// Recipe photos: the browser posts to the bucket and shows images from it, and nothing else of it.
// Fixed at build time, so S3_* must be set for the build too (README, "Recipe photos").
const bucket = bucketOrigin({ ...process.env, NODE_ENV: isDev ? "development" : "production" });
// With a browser DSN, the page may post error reports to that Sentry host (and nowhere else new).
const sentryOrigin = (() => {
  try {
    return process.env.NEXT_PUBLIC_SENTRY_DSN ? ` ${new URL(process.env.NEXT_PUBLIC_SENTRY_DSN).origin}` : "";
  } catch {
    return "";
  }
})();

/**
 * A static Content-Security-Policy, so pages can still be cached and
 * prerendered. Next's inline bootstrap scripts need 'unsafe-inline' without a
 * per-request nonce; README ("Security headers") explains the trade-off and
 * how to switch to nonces.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob:${bucket ? ` ${bucket}` : ""}`,
  "font-src 'self'",
  // The sign-in forms' proof of work (ALTCHA) solves in a Web Worker its script starts from a blob: URL.
  "worker-src 'self' blob:",
  `connect-src 'self'${bucket ? ` ${bucket}` : ""}${sentryOrigin}${isDev ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  // Checkout and the billing portal are reached by redirecting a form post to Stripe.
  "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
  },
  { key: "X-Frame-Options", value: "DENY" },
];

// The optional SDKs, which run only once their keys are set (Sentry, Trigger.dev, Svix, Resend, Upstash,
// PostHog, the AI providers). Turbopack compiles every module a route can reach, lazy imports included, so in
// development the first page would wait for them (Sentry and Trigger.dev alone were half its server code); as
// externals, Node loads them from node_modules the first time they are used. Production builds bundle them as
// before (what check:vercel and the cold bench measure).
const optionalSdks = [
  "@sentry/nextjs",
  "@trigger.dev/sdk",
  "svix",
  "resend",
  "@upstash/redis",
  "@upstash/ratelimit",
  "posthog-node",
  "@ai-sdk/anthropic",
  "@ai-sdk/openai",
];

const nextConfig: NextConfig = {
  // Native/WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "s3rver", ...(isDev ? optionalSdks : [])],
  // What no deployed function runs, left out of the files each one carries (Vercel's functions, `output: "standalone"`).
  // The code loads them only where they run: PGlite without DATABASE_URL (lib/db/embedded.ts; a deployed
  // function refuses to start without it), the local S3 server without S3_BUCKET outside production
  // (lib/storage/local.ts), Prettier only for `render(…, { pretty: true })` in @react-email/render, which
  // lib/email never asks for. `next start` reads node_modules itself, so Stack B on PGlite is unaffected.
  // `npm run check:vercel` fails if any of them comes back into a function.
  // Each package twice: Turbopack's build lists the link it requires an external package through
  // (<distDir>/node_modules/<name>-<hash>), which Vercel's builder follows, and the package's own files.
  outputFileTracingExcludes: {
    "*": NOT_DEPLOYED_PACKAGES.flatMap((name) => [`node_modules/${name}/**`, `${distDir}/node_modules/${name}-*`]),
  },
  compiler: {
    // Next applies the excludes above to each route's trace but not to instrumentation.ts's, which every
    // function carries too: the same packages (and what only they depend on) are taken out of it here.
    runAfterProductionCompile: async ({ distDir: builtDir, projectDir }) => {
      const trace = path.join(builtDir, "server", "instrumentation.js.nft.json");
      if (fs.existsSync(trace)) pruneTrace(trace, projectDir, NOT_DEPLOYED_PACKAGES);
    },
  },
  distDir,
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

/**
 * Sentry's build step: it talks to Sentry only to upload source maps, and only
 * when SENTRY_AUTH_TOKEN is set, so a build without it (CI) needs no network.
 */
export default withSentryConfig(nextConfig, {
  telemetry: false,
  silent: !process.env.SENTRY_AUTH_TOKEN,
  org: process.env.SENTRY_ORG,
  project: process.env.SENTRY_PROJECT,
  authToken: process.env.SENTRY_AUTH_TOKEN,
  sourcemaps: { disable: !process.env.SENTRY_AUTH_TOKEN },
  // Off: it rewrites the server's dependencies (ai, postgres, redis...) at build time to announce calls on
  // diagnostics channels for Sentry's tracing, which this app does not use (errors only, lib/observability/sentry.ts).
  // On, every function loads Sentry's helper with them, DSN or not.
  buildTimeInstrumentation: false,
});
