import { z } from "zod";
import { teamRoles } from "@/lib/db/schema";

// Shared by the team pages' forms and their Server Actions (client components import this file directly).

export const teamName = z
  .string()
  .trim()
  .min(2, { error: "Give the team a name (at least 2 characters)." })
  .max(60, { error: "Keep the name under 60 characters." });

/** Every team form names the team it acts on: never "whichever team is active" when the form posts. */
export const teamRef = z.object({ teamId: z.string().min(1, { error: "Which team?" }) });

export const createTeamInput = z.object({ name: teamName });
export const renameTeamInput = teamRef.extend({ name: teamName });

export const inviteInput = teamRef.extend({
  email: z.email({ error: "Enter the email address to invite." }).max(254),
  role: z.enum(["admin", "member"], { error: "Choose admin or member." }).default("member"),
});

export const memberRef = teamRef.extend({ memberId: z.string().min(1) });
export const changeRoleInput = memberRef.extend({ role: z.enum(teamRoles, { error: "Choose a role." }) });
export const invitationRef = teamRef.extend({ invitationId: z.string().min(1) });
export const answerInvitationInput = z.object({ invitationId: z.string().min(1) });
