/**
 * What every Server Action returns to `useActionState`: a message, field
 * errors for the inputs, and the submitted values so the form keeps them.
 * (Its own module because client components import it; lib/actions/validated.ts is server-only.)
 */
export type ActionState = {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
  /** The error is a plan limit: the form offers the way to /pricing. */
  upgrade?: boolean;
  /**
   * A secret shown once, right after it was made (a new API key, a signing secret): the form shows
   * it with a copy button. It is never stored in a readable form, so this answer is the only copy.
   */
  reveal?: { label: string; value: string };
  /** A ceiling was reached and this request carried no valid proof of work: the form's widget solves a new one. */
  challenge?: boolean;
};

export const initialActionState: ActionState = {};
