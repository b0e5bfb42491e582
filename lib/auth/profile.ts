import "server-only";
import { APIError } from "better-auth/api";
import { personName } from "./schema";

/** Paths whose body carries the profile (name, image) that our forms limit; the name is optional but on sign-up. */
const PROFILE_PATHS = new Set(["/sign-up/email", "/update-user", "/sign-in/magic-link"]);

/**
 * The profile's limits on every path into Better Auth, as the forms have them (`personName`):
 * a name of 1 to 80 characters, trimmed, with no invisible control characters; and no `image`, which no
 * form of ours sets (an OAuth provider's picture is stored by Better Auth itself, not through these
 * paths). A magic link may carry the name its new account will get: the same rules. Returns the body
 * with the name as the form would store it, or throws Better Auth's 400.
 */
export function checkProfileFields(path: string, body: unknown): { body: Record<string, unknown> } | undefined {
  if (!PROFILE_PATHS.has(path) || typeof body !== "object" || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  if (fields.image !== undefined)
    throw new APIError("BAD_REQUEST", { code: "FIELD_NOT_ALLOWED", message: "A profile picture cannot be set here." });
  if (fields.name === undefined && path !== "/sign-up/email") return undefined;
  const name = personName.safeParse(fields.name);
  if (!name.success)
    throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: name.error.issues[0]!.message });
  return { body: { ...fields, name: name.data } };
}
