import type { PartialRecipeDraft } from "@/lib/ai/schema";
import type { RecipeFields } from "../recipe-form";

/**
 * What the new-recipe page needs from POST /api/ai/draft-recipe beyond the
 * stream itself: the form fields a partial draft fills, and a refused request
 * turned into a message a person can act on (the status, the route's own
 * message, when to try again).
 */

export const DRAFT_API = "/api/ai/draft-recipe";

/** The form's fields from a draft that may still be half written; lists become one entry per line. */
export function fieldsFromDraft(draft: PartialRecipeDraft): RecipeFields {
  const lines = (list?: (string | undefined)[]) => (list ?? []).filter((line) => line !== undefined).join("\n");
  return {
    title: draft.title ?? "",
    description: draft.description ?? "",
    ingredients: lines(draft.ingredients),
    steps: lines(draft.steps),
  };
}

/** A request the route refused (or an error part in the stream, status 200), as the page shows it. */
export class DraftFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** From Retry-After on a 429. */
    readonly retryAfterSeconds?: number,
    /** The daily quota is used up (not just the burst limit). */
    readonly quotaExhausted = false,
    /** The route's field error for the idea (400). */
    readonly ideaError?: string,
  ) {
    super(message);
    this.name = "DraftFailure";
  }
}

const FALLBACK: Record<number, string> = {
  401: "Your session has ended. Sign in again to draft with AI.",
  429: "Too many drafts right now. Please wait and try again.",
  502: "The AI model could not write a draft right now. Please try again.",
  504: "The AI model took too long to answer. Please try again.",
};

/** Reads a non-2xx answer of the draft route: `{ error: string }`, or `{ error: { fieldErrors } }` on a 400. */
export async function draftFailureFrom(response: Response): Promise<DraftFailure> {
  const body = (await response.json().catch(() => null)) as {
    error?: string | { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };
    quota?: number;
  } | null;
  const error = body?.error;
  const ideaError = typeof error === "object" ? error.fieldErrors?.idea?.[0] : undefined;
  const message =
    typeof error === "string"
      ? error
      : (ideaError ?? error?.formErrors?.[0] ?? FALLBACK[response.status] ?? "The draft could not be started.");
  const retryAfter = Number(response.headers.get("retry-after"));
  return new DraftFailure(
    message,
    response.status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    response.status === 429 && body?.quota !== undefined,
    ideaError,
  );
}

/** "in 40 seconds", "in 3 minutes", "in 5 h 12 min": when a refused draft may be tried again. */
export function describeRetryAfter(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  return `in ${hours} h ${minutes % 60} min`;
}

/** The sentence the page shows for a failed draft. */
export function describeDraftFailure(error: Error): string {
  if (error instanceof DraftFailure) {
    return error.retryAfterSeconds !== undefined
      ? `${error.message} (You can try again ${describeRetryAfter(error.retryAfterSeconds)}.)`
      : error.message;
  }
  // fetch rejects with a TypeError when the server cannot be reached.
  if (error instanceof TypeError) return "Could not reach the server. Check your connection and try again.";
  // An error part inside the stream carries the route's own message.
  return error.message || "The draft failed. Please try again.";
}
