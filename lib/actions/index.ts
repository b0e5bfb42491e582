/**
 * The one Server Action wrapper: `validatedAction` / `validatedActionWithUser` parse the form with
 * zod, check the session, and turn lib/'s `AppError`s into the form's messages. `state.ts` is the
 * state they return (client components import it directly: this module is server-only).
 */
export { validatedAction, validatedActionWithUser } from "./validated";
export { initialActionState, type ActionState } from "./state";
