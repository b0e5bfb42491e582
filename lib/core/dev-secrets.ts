/**
 * The fixed, public secrets a local setup uses when no real one is set
 * (lib/core/env.ts falls back to them, never in a production start). They are
 * published in this repository, so they protect nothing: no `server-only` here,
 * and the browser tests, which run outside Next, import the auth secret to
 * forge a cookie with it as an attacker would.
 */
export const DEV_AUTH_SECRET = "dev-only-secret-do-not-use-in-production-0123456789";
export const DEV_STRIPE_WEBHOOK_SECRET = "whsec_local_dev_simulator_secret";
/** Svix-style secrets are base64 after "whsec_": this one decodes to "recipe-box-local-resend-webhooks". */
export const DEV_RESEND_WEBHOOK_SECRET = "whsec_cmVjaXBlLWJveC1sb2NhbC1yZXNlbmQtd2ViaG9va3M=";
