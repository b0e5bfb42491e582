/**
 * The developer tools' server side: the guard every /dev entry calls (`guard.ts`), the simulated
 * deliveries of /dev/stripe and /dev/emails (`simulate.ts`, `stripe-events.ts`, `resend-events.ts`)
 * and the billing scenarios they act out (`stripe-scenarios.ts`), and the receiver of the app's own
 * outbound webhooks at /dev/webhook-receiver (`webhook-receiver.ts`).
 */
export { requireDevTools } from "./guard";
export { deliverSimulatedWebhook } from "./simulate";
export {
  DEV_RECEIVER_PATH,
  listDevWebhookArrivals,
  receiveDevWebhook,
  type DevWebhookArrival,
} from "./webhook-receiver";
