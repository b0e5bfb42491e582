import "server-only";
import { notFound } from "next/navigation";
import type { z } from "zod";
import { validatedAction } from "@/lib/actions";
import type { ActionState } from "@/lib/actions/state";
import { getSession, type Session, type SessionUser } from "@/lib/auth";
import { isOperator } from "@/lib/auth/operators";

export type Operator = { user: SessionUser; session: Session["session"] };

/**
 * The signed-in operator, or null: an account that is an operator by ADMIN_EMAILS and a confirmed address
 * (lib/auth/operators.ts), in its own session. A session that impersonates someone is never an operator's, even
 * when the operator opened it: /admin cannot be reached from inside an impersonation.
 */
export async function currentOperator(requestHeaders?: Headers): Promise<Operator | null> {
  const session = await getSession(requestHeaders);
  if (!session || session.session.impersonatedBy || !isOperator(session.user)) return null;
  return { user: session.user, session: session.session };
}

/**
 * For every /admin page, Route Handler and Server Action: the operator, or the app's 404 page. Everyone else
 * (signed out, a cook, an unconfirmed account holding an operator's address, an impersonation) sees a page that
 * does not exist, not a refusal that says there is something here.
 */
export async function requireOperator(): Promise<Operator> {
  const operator = await currentOperator();
  if (!operator) notFound();
  return operator;
}

/**
 * A Server Action for operators only: `requireOperator` runs first (a 404 before the form is even read, so a
 * non-operator learns nothing from field errors), then lib/actions parses the form and answers as every form does.
 */
export function validatedOperatorAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, operator: Operator) => Promise<ActionState | void>,
) {
  return async (previous: ActionState, formData: FormData): Promise<ActionState> => {
    const operator = await requireOperator();
    return validatedAction(schema, (input) => handler(input, operator))(previous, formData);
  };
}
