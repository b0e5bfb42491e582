/** The developer tools, for the /dev index and the nav above every tool. */
export const devTools = [
  {
    href: "/dev/emails",
    title: "Emails",
    navLabel: "Emails (outbox)",
    text: "The outbox (every email queued, rendered), statuses, the suppression list, simulated Resend events.",
  },
  {
    href: "/dev/webhooks",
    title: "Webhook inbox",
    navLabel: "Webhook inbox",
    text: "Every stored provider event with its status, attempts, last error and raw payload, and a replay button.",
  },
  {
    href: "/dev/webhook-receiver",
    title: "Webhook receiver",
    navLabel: "Webhook receiver",
    text: "A receiver for the app's own outbound webhooks: point an endpoint at it and watch each delivery arrive, verified.",
  },
  {
    href: "/dev/stripe",
    title: "Stripe simulator",
    navLabel: "Stripe simulator",
    text: "Signed checkout, payment-failure and cancellation events for the signed-in user: Free to Pro and back without an account.",
  },
  {
    href: "/dev/observability",
    title: "Observability",
    navLabel: "Observability",
    text: "Where errors, product events and logs go with these settings, and a button that throws a test error.",
  },
] as const;
