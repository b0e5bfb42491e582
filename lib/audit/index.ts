/**
 * The audit log: who did what to what, when and from where, written in the same transaction as the
 * change, append-only in the database and hash-chained per team (docs/audit.md).
 */
export { auditActions, isAuditAction, type AuditAction } from "./catalog";
export { recordAudit, systemActor, type AuditActor, type AuditEventInput, type AuditRequestContext } from "./record";
export { apiKeyActor, impersonatingActor, providerActor, userActor, userLabel } from "./actors";
export { deleteExpiredAuditEvents, pseudonymFor, pseudonymiseAuditActor } from "./maintenance";
export { verifyAuditChains, type AuditVerification, type BrokenLink } from "./verify";
export {
  auditAreas,
  auditEventsMatching,
  EXPORT_MAX_EVENTS,
  listAuditEvents,
  type AuditFilters,
  type AuditPage,
} from "./query";
export { auditEventJson, csvRow, csvHeader, exportStream, type AuditEventJson } from "./export";
