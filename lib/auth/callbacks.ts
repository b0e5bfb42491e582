import "server-only";
import { APIError } from "better-auth/api";
import { safeReturnPath } from "@/lib/http/return-path";

/** Every parameter through which a Better Auth flow redirects the browser afterwards. */
const CALLBACK_FIELDS = ["callbackURL", "newUserCallbackURL", "errorCallbackURL", "redirectTo"];

/** Better Auth checks callbacks against trusted origins; ours is stricter and the same for every flow. */
export function refuseOffSiteCallbacks(...sources: unknown[]) {
  for (const source of sources) {
    if (typeof source !== "object" || source === null) continue;
    for (const field of CALLBACK_FIELDS) {
      const value = (source as Record<string, unknown>)[field];
      if (value !== undefined && safeReturnPath(value) !== value) {
        throw new APIError("FORBIDDEN", {
          code: "INVALID_CALLBACK_URL",
          message: "Callback URLs must be paths on this site.",
        });
      }
    }
  }
}
