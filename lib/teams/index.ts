/**
 * Teams (Better Auth's organization tables): who is in which team with which role, invitations,
 * and seats. Every change runs here, in one transaction with its authorization, its seat count
 * and its announcement; Better Auth's own organization endpoints are off. `roles.ts` says what
 * each role may do, `teams.ts` reads and creates teams, `members.ts` changes memberships,
 * `invitations.ts` invites and accepts, `seats.ts` keeps Pro's seats equal to the member count.
 */
export { can, memberMay, teamPermissions, teamRoles, type TeamPermission, type TeamRole } from "./roles";
export {
  createPersonalTeam,
  createTeam,
  deleteTeam,
  listTeamIdsOf,
  listTeamsOf,
  personalTeamOf,
  refusal,
  renameTeam,
  requireMembership,
  requireRole,
  slugFor,
  TeamForbiddenError,
  TeamNotFoundError,
  teamForMember,
  teamsOnlyOwnedBy,
  type TeamView,
} from "./teams";
export {
  addMember,
  changeMemberRole,
  leaveTeam,
  listMembers,
  removeMember,
  transferOwnership,
  type MemberView,
} from "./members";
export {
  acceptInvitation,
  declineInvitation,
  INVITATION_LIFETIME_MS,
  invitationForLink,
  invitationPath,
  inviteMember,
  listPendingInvitations,
  revokeInvitation,
  type InvitationLink,
  type PendingInvitation,
} from "./invitations";
export { markSeatsStale, queueSeatSync, syncPendingSeats, syncSeats, syncSeatsJob, type SeatSync } from "./seats";
