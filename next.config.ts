import { withSentryConfig } from "@sentry/nextjs/config";
import type { NextConfig } from "next";
import { bucketOrigin } from "./lib/storage/origin";

const isDev = process.env.NODE_ENV === "development";
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

const nextConfig: NextConfig = {
  // Native/WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "s3rver"],
  // A separate output folder lets a test build next to a developer's .next (see tests/build).
  // `||`, not `??`: the empty `NEXT_DIST_DIR=` of a copied .env.example means ".next".
  distDir: process.env.NEXT_DIST_DIR || ".next",
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
});
