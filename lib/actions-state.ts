/**
 * What every Server Action returns to `useActionState`: a message, field
 * errors for the inputs, and the submitted values so the form keeps them.
 * (Its own module because client components import it; lib/actions.ts is server-only.)
 */
export type ActionState = {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
  /** The error is a plan limit: the form offers the way to /pricing. */
  upgrade?: boolean;
};

export const initialActionState: ActionState = {};
