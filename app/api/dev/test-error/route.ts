import { requireDevTools } from "@/lib/dev-tools";
import { ObservabilityTestError } from "@/lib/observability/destinations";

/**
 * Throws on purpose (dev tools only, 404 otherwise): the error takes the same
 * path as any uncaught one, through onRequestError to Sentry when SENTRY_DSN is
 * set, and into the server log with the x-request-id this response carries.
 */
export function GET(): Response {
  requireDevTools();
  throw new ObservabilityTestError();
}
