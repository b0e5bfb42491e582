import { requireDevTools } from "@/lib/dev-tools";
import { route } from "@/lib/http";
import { ObservabilityTestError } from "@/lib/observability/destinations";

/**
 * Throws on purpose (dev tools only, 404 otherwise): the error takes the path
 * of any unexpected one, through the route wrapper's report to Sentry when
 * SENTRY_DSN is set and into the server log, with the x-request-id this response carries.
 */
export const GET = route(async () => {
  requireDevTools();
  throw new ObservabilityTestError();
});
