/**
 * The account page's server side: confirming the owner before something irreversible
 * (`confirm.ts`), sessions by device (`sessions.ts`), the data export (`export.ts`) and deletion
 * (`delete.ts`). `schema.ts` holds the forms' schemas.
 */
export { confirmAccountOwner, FRESH_SIGN_IN_MS, hasPassword, isFreshSignIn, type OwnerProof } from "./confirm";
export { AccountDeletionError, deleteAccount, DELETION_STEP_TIMEOUT_MS, type AccountDeletion } from "./delete";
export { exportAccountData, type AccountExport } from "./export";
export {
  describeDevice,
  LAST_SEEN_PRECISION_MS,
  listActiveSessions,
  markSessionSeen,
  revokeOtherSessions,
  revokeSession,
  type ActiveSession,
} from "./sessions";
