import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { isAppError, type AppError } from "@/lib/core/errors";
import { logger } from "@/lib/core/logger";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/core/text";
import { getSession, type Session, type SessionUser } from "@/lib/auth";
import { isDatabaseError, isDatabaseUnreachable } from "@/lib/db";
import { currentRequestId } from "@/lib/observability/request-context";
import { reportError } from "@/lib/observability/sentry";
import type { ActionState } from "./state";

type Handler<S extends z.ZodType, U, X> = (input: z.output<S>, user: U, session: X) => Promise<ActionState | void>;

/** The submitted fields, to echo back so the form keeps them: never a password, nor text that cannot be stored. */
function echoedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !key.startsWith("$ACTION") && !/password/i.test(key) && isStorableText(value))
      values[key] = value;
  }
  return values;
}

function parseForm<S extends z.ZodType>(schema: S, formData: FormData) {
  const fields: Record<string, string> = {};
  const unstorable: Record<string, string[]> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string" || key.startsWith("$ACTION")) continue;
    fields[key] = value;
    // A NUL or half a surrogate pair in any field: Postgres would refuse the query (a 500 quoting its parameters).
    if (!isStorableText(value)) unstorable[key] = [UNSTORABLE_TEXT_MESSAGE];
  }
  if (Object.keys(unstorable).length) {
    const failure: ActionState = {
      error: "Please correct the highlighted fields.",
      fieldErrors: unstorable,
      values: echoedValues(formData),
    };
    return { failure };
  }
  const parsed = schema.safeParse(fields);
  if (parsed.success) return { data: parsed.data };
  const failure: ActionState = {
    error: "Please correct the highlighted fields.",
    fieldErrors: z.flattenError(parsed.error).fieldErrors,
    values: echoedValues(formData),
  };
  return { failure };
}

/** A refusal from lib/ (an `AppError`) as the form shows it: on its field, or above the form, with what was typed. */
function refusalState(error: AppError, formData: FormData): ActionState {
  const values = echoedValues(formData);
  const state: ActionState = Object.keys(values).length ? { values } : {};
  if (error.field) state.fieldErrors = { [error.field]: [error.message] };
  else if (error.fieldErrors) Object.assign(state, { error: error.message, fieldErrors: error.fieldErrors });
  else state.error = error.message;
  if (error.upgrade) state.upgrade = true;
  return state;
}

/**
 * A failure that is not a refusal, as the form shows it. Thrown on, Next would print it whole (a
 * failed query's message lists its parameters: what the person typed) and answer 500; instead it is
 * logged scrubbed and reported like a Route Handler's (lib/http/route.ts), and the form says what
 * happened: the database is unavailable, or a bug, with the request id to quote.
 */
async function failureState(error: unknown, formData: FormData): Promise<ActionState> {
  const requestId = currentRequestId();
  const values = echoedValues(formData);
  const unreachable = isDatabaseUnreachable(error);
  if (unreachable || isDatabaseError(error)) {
    logger.error({ err: error }, "server action failed: the database did not do the work");
    if (!unreachable) await reportError(error, { request_id: requestId });
    return { error: "This service is unavailable for a moment. Please try again shortly.", values };
  }
  logger.error({ err: error }, "server action failed");
  await reportError(error, { request_id: requestId });
  const quote = requestId ? ` If it keeps happening, quote request id ${requestId}.` : "";
  return { error: `Something went wrong on our side.${quote}`, values };
}

/**
 * Runs the handler; an `AppError` it throws becomes the form's message (lib/'s one error
 * convention), Next's own signals (redirect, notFound) go on up, and anything else is answered on
 * the form too (`failureState`).
 */
async function run(work: () => Promise<ActionState | void>, formData: FormData): Promise<ActionState> {
  try {
    return (await work()) ?? { ok: true };
  } catch (error) {
    if (isAppError(error)) return refusalState(error, formData);
    unstable_rethrow(error);
    return failureState(error, formData);
  }
}

/** Parses the form with `schema`; on failure returns field errors without calling `handler`. */
export function validatedAction<S extends z.ZodType>(schema: S, handler: Handler<S, null, null>) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const { data, failure } = parseForm(schema, formData);
    if (failure) return failure;
    return run(() => handler(data, null, null), formData);
  };
}

/**
 * The same, and the caller must be signed in: the session is checked here, inside the action, and
 * handed to the handler with its user.
 */
export function validatedActionWithUser<S extends z.ZodType>(schema: S, handler: Handler<S, SessionUser, Session>) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const session = await getSession();
    if (!session) return { error: "You must be signed in to do that." };
    const { data, failure } = parseForm(schema, formData);
    if (failure) return failure;
    return run(() => handler(data, session.user, session), formData);
  };
}
