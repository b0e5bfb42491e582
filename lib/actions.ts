import "server-only";
import { z } from "zod";
import type { ActionState } from "@/lib/actions-state";
import { getSession, type SessionUser } from "@/lib/auth";

export type { ActionState };

type Handler<S extends z.ZodType, U> = (input: z.output<S>, user: U) => Promise<ActionState | void>;

function parseForm<S extends z.ZodType>(schema: S, formData: FormData) {
  const fields: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) fields[key] = value;
  }
  const parsed = schema.safeParse(fields);
  if (parsed.success) return { data: parsed.data };
  // Echo the fields back so the form keeps them, but never a password.
  const values = Object.fromEntries(Object.entries(fields).filter(([key]) => !/password/i.test(key)));
  const failure: ActionState = {
    error: "Please correct the highlighted fields.",
    fieldErrors: z.flattenError(parsed.error).fieldErrors,
    values,
  };
  return { failure };
}

/** Parses the form with `schema`; on failure returns field errors without calling `handler`. */
export function validatedAction<S extends z.ZodType>(schema: S, handler: Handler<S, null>) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const { data, failure } = parseForm(schema, formData);
    if (failure) return failure;
    return (await handler(data, null)) ?? { ok: true };
  };
}

/** The same, and the caller must be signed in: the session is checked here, inside the action. */
export function validatedActionWithUser<S extends z.ZodType>(schema: S, handler: Handler<S, SessionUser>) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const session = await getSession();
    if (!session) return { error: "You must be signed in to do that." };
    const { data, failure } = parseForm(schema, formData);
    if (failure) return failure;
    return (await handler(data, session.user)) ?? { ok: true };
  };
}
