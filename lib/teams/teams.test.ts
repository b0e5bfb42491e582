import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { FREE_MEMBER_LIMIT } from "@/lib/billing";
import { db, schema } from "@/lib/db";
import { createRecipe, deleteRecipe, setRecipePublished, updateRecipe } from "@/lib/recipes";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { makePro, signUpTestUser, signUpUnconfirmedTestUser } from "@/tests/support/users";
import {
  acceptInvitation,
  addMember,
  changeMemberRole,
  createTeam,
  declineInvitation,
  deleteTeam,
  inviteMember,
  leaveTeam,
  listMembers,
  listTeamsOf,
  removeMember,
  renameTeam,
  revokeInvitation,
  teamForMember,
  transferOwnership,
  type TeamRole,
} from ".";

type Cook = Awaited<ReturnType<typeof signUpTestUser>>;

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

const recipe = { title: "Lentil soup", description: "", ingredients: ["lentils"], steps: ["Simmer."] };

/** A Pro team (room for recipes and members) with an owner, an admin and a member, all confirmed. */
async function kitchen() {
  const owner = await signUpTestUser("Olive Owner");
  const admin = await signUpTestUser("Ada Admin");
  const cook = await signUpTestUser("Max Member");
  const team = await createTeam(db, { name: "Test Kitchen", ownerId: owner.id });
  await makePro(team.id);
  await addMember(db, team.id, admin.id, "admin");
  await addMember(db, team.id, cook.id, "member");
  return { team, owner, admin, cook };
}

const memberIdOf = async (teamId: string, userId: string) => {
  const [row] = await db
    .select({ id: schema.member.id })
    .from(schema.member)
    .where(and(eq(schema.member.organizationId, teamId), eq(schema.member.userId, userId)));
  return row!.id;
};

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => "allowed",
    (error: { kind?: string }) => error.kind ?? String(error),
  );

describe("every account has a personal team from sign-up", () => {
  it("owns it, sees it first in the switcher, and cannot leave it or invite anyone into it", async () => {
    const ann = await signUpTestUser("Ann Cook");
    const teams = await listTeamsOf(db, ann.id);
    expect(teams[0]).toMatchObject({ id: ann.teamId, personal: true, role: "owner", name: "Ann's recipes" });
    await expect(leaveTeam(db, ann.teamId, ann.id)).rejects.toMatchObject({ reason: "personal-team" });
    await expect(
      inviteMember(db, { teamId: ann.teamId, inviterId: ann.id, email: "x@example.test", role: "member" }),
    ).rejects.toMatchObject({ reason: "personal-team" });
  });
});

describe("roles: each role × each action, allowed or refused, checked in the statement that acts", () => {
  it("recipes: members write their own; owners and admins change anyone's; outsiders find nothing", async () => {
    const { team, owner, admin, cook } = await kitchen();
    const outsider = await signUpTestUser("Otto Outsider");
    const byOwner = await createRecipe(db, { teamId: team.id, userId: owner.id }, recipe);
    const byCook = await createRecipe(db, { teamId: team.id, userId: cook.id }, recipe);
    const as = (user: Cook) => ({ teamId: team.id, userId: user.id });

    const matrix: Record<string, Record<"owner" | "admin" | "member" | "outsider", string>> = {};
    const users = { owner, admin, member: cook, outsider };
    for (const [label, run] of Object.entries({
      "create a recipe": (user: Cook) => createRecipe(db, as(user), recipe),
      "edit their own": (user: Cook) => updateRecipe(db, as(user), byCook.id, { ...recipe, title: "Edited" }),
      "edit another's": (user: Cook) => updateRecipe(db, as(user), byOwner.id, { ...recipe, title: "Edited" }),
      "publish another's": (user: Cook) => setRecipePublished(db, as(user), byOwner.id, true),
    })) {
      matrix[label] = Object.fromEntries(
        await Promise.all(Object.entries(users).map(async ([role, user]) => [role, await outcome(run(user))])),
      ) as Record<"owner" | "admin" | "member" | "outsider", string>;
    }
    expect(matrix).toEqual({
      "create a recipe": { owner: "allowed", admin: "allowed", member: "allowed", outsider: "not-found" },
      // The member is the author of byCook; the owner and admin manage the team's recipes.
      "edit their own": { owner: "allowed", admin: "allowed", member: "allowed", outsider: "not-found" },
      "edit another's": { owner: "allowed", admin: "allowed", member: "forbidden", outsider: "not-found" },
      "publish another's": { owner: "allowed", admin: "allowed", member: "forbidden", outsider: "not-found" },
    });
    // Deleting another member's recipe: refused to a member, allowed to an admin.
    await expect(deleteRecipe(db, as(cook), byOwner.id)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(deleteRecipe(db, as(admin), byOwner.id)).resolves.toMatchObject({ id: byOwner.id });
  });

  it("the team: admins rename and manage members; only the owner deletes, transfers or bills", async () => {
    const { team, owner, admin, cook } = await kitchen();
    const users = { admin, member: cook, owner };
    const results: Record<string, Record<string, string>> = {};
    for (const [label, run] of Object.entries({
      rename: (user: Cook) => renameTeam(db, team.id, user.id, `Kitchen ${user.id.slice(0, 4)}`),
      invite: (user: Cook) =>
        inviteMember(db, { teamId: team.id, inviterId: user.id, email: `new-${user.id}@example.test`, role: "member" }),
      // The owner's turn comes last, so the cook stays a member for the others' attempts.
      "make an owner": async (user: Cook) =>
        changeMemberRole(db, {
          teamId: team.id,
          actorId: user.id,
          memberId: await memberIdOf(team.id, cook.id),
          role: "owner",
        }),
    })) {
      results[label] = {};
      for (const [role, user] of Object.entries(users)) results[label]![role] = await outcome(run(user));
    }
    expect(results).toEqual({
      rename: { owner: "allowed", admin: "allowed", member: "forbidden" },
      invite: { owner: "allowed", admin: "allowed", member: "forbidden" },
      "make an owner": { owner: "allowed", admin: "forbidden", member: "forbidden" },
    });
    await expect(deleteTeam(db, team.id, admin.id)).rejects.toMatchObject({ kind: "forbidden" });
    const { createCheckoutSession } = await import("@/lib/billing");
    await expect(
      createCheckoutSession(db, { teamId: team.id, buyer: { id: admin.id, email: admin.email } }),
    ).rejects.toMatchObject({ reason: "owner-only" });
    // The owner deletes the team, once it is off Pro.
    await expect(deleteTeam(db, team.id, owner.id)).rejects.toMatchObject({ reason: "subscription-live" });
    await db
      .update(schema.subscriptions)
      .set({ status: "canceled" })
      .where(eq(schema.subscriptions.organizationId, team.id));
    await deleteTeam(db, team.id, owner.id);
    expect(await teamForMember(db, team.slug, owner.id)).toBeNull();
  });

  it("a removed member's next request is refused, and the last owner can neither leave nor be removed", async () => {
    const { team, owner, admin, cook } = await kitchen();
    await removeMember(db, { teamId: team.id, actorId: admin.id, memberId: await memberIdOf(team.id, cook.id) });
    await expect(createRecipe(db, { teamId: team.id, userId: cook.id }, recipe)).rejects.toMatchObject({
      kind: "not-found",
    });
    expect(await teamForMember(db, team.slug, cook.id)).toBeNull();

    await expect(leaveTeam(db, team.id, owner.id)).rejects.toMatchObject({ reason: "last-owner" });
    await expect(
      removeMember(db, { teamId: team.id, actorId: admin.id, memberId: await memberIdOf(team.id, owner.id) }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    await expect(
      changeMemberRole(db, {
        teamId: team.id,
        actorId: owner.id,
        memberId: await memberIdOf(team.id, owner.id),
        role: "admin",
      }),
    ).rejects.toMatchObject({ reason: "last-owner" });

    // Handing the team on: the admin becomes owner, the old owner an admin, who may now leave.
    await transferOwnership(db, { teamId: team.id, ownerId: owner.id, memberId: await memberIdOf(team.id, admin.id) });
    const roles = Object.fromEntries(
      (await listMembers(db, team.id)).members.map((entry) => [entry.userId, entry.role as TeamRole]),
    );
    expect(roles).toEqual({ [admin.id]: "owner", [owner.id]: "admin" });
    await leaveTeam(db, team.id, owner.id);
    expect((await listMembers(db, team.id)).total).toBe(1);
    await flushAfterResponse();
  });
});

describe("invitations", () => {
  it("emails a link; only the invited, confirmed address accepts it, once", async () => {
    const { team, owner } = await kitchen();
    const guest = await signUpTestUser("Gus Guest");
    const stranger = await signUpTestUser("Sam Stranger");
    const { id } = await inviteMember(db, { teamId: team.id, inviterId: owner.id, email: guest.email, role: "admin" });

    const [email] = await db
      .select()
      .from(schema.emails)
      .where(and(eq(schema.emails.to, guest.email), eq(schema.emails.template, "team-invitation")));
    expect(email?.props).toMatchObject({ teamName: "Test Kitchen", role: "admin" });
    expect((email?.props as { url: string }).url).toMatch(new RegExp(`/invitations/${id}$`));

    await expect(acceptInvitation(db, id, stranger.id)).rejects.toMatchObject({ reason: "not-the-recipient" });
    expect(await acceptInvitation(db, id, guest.id)).toEqual({ teamSlug: team.slug });
    expect((await teamForMember(db, team.slug, guest.id))?.role).toBe("admin");
    await expect(acceptInvitation(db, id, guest.id)).rejects.toMatchObject({ reason: "invitation-gone" });
    await flushAfterResponse();
  });

  it("refuses an unconfirmed account at the invited address: it cannot take the seat", async () => {
    const { team, owner } = await kitchen();
    const squatter = await signUpUnconfirmedTestUser("Unconfirmed");
    const { id } = await inviteMember(db, {
      teamId: team.id,
      inviterId: owner.id,
      email: squatter.email,
      role: "member",
    });
    await expect(acceptInvitation(db, id, squatter.id)).rejects.toMatchObject({ reason: "email-not-verified" });
    expect(await teamForMember(db, team.slug, squatter.id)).toBeNull();
  });

  it("re-inviting withdraws the earlier link; revoked and declined links stop working; they expire", async () => {
    const { team, owner, admin } = await kitchen();
    const guest = await signUpTestUser("Gus Guest");
    const invite = () => inviteMember(db, { teamId: team.id, inviterId: owner.id, email: guest.email, role: "member" });
    const first = await invite();
    const second = await invite();
    await expect(acceptInvitation(db, first.id, guest.id)).rejects.toMatchObject({ reason: "invitation-gone" });

    await revokeInvitation(db, { teamId: team.id, actorId: admin.id, invitationId: second.id });
    await expect(acceptInvitation(db, second.id, guest.id)).rejects.toMatchObject({ reason: "invitation-gone" });

    const third = await invite();
    await declineInvitation(db, third.id, guest.id);
    await expect(acceptInvitation(db, third.id, guest.id)).rejects.toMatchObject({ reason: "invitation-gone" });

    const fourth = await invite();
    await db
      .update(schema.invitation)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.invitation.id, fourth.id));
    await expect(acceptInvitation(db, fourth.id, guest.id)).rejects.toMatchObject({ reason: "invitation-gone" });
    expect(await teamForMember(db, team.slug, guest.id)).toBeNull();
  });

  it(`seats: concurrent accepts at the Free plan's limit (${FREE_MEMBER_LIMIT}) end at exactly the limit`, async () => {
    const owner = await signUpTestUser("Olive Owner");
    const team = await createTeam(db, { name: "Small Kitchen", ownerId: owner.id });
    const guests = await Promise.all(Array.from({ length: 20 }, (_, i) => signUpTestUser(`Guest ${i}`)));
    const invitations: { id: string }[] = [];
    for (const guest of guests)
      invitations.push(
        await inviteMember(db, { teamId: team.id, inviterId: owner.id, email: guest.email, role: "member" }),
      );

    const results = await Promise.allSettled(
      guests.map((guest, i) => acceptInvitation(db, invitations[i]!.id, guest.id)),
    );

    const accepted = results.filter((result) => result.status === "fulfilled").length;
    const full = results.filter(
      (result) => result.status === "rejected" && (result.reason as { reason?: string }).reason === "team-full",
    ).length;
    console.info(`[seats race] 20 accepts at once, ${FREE_MEMBER_LIMIT - 1} seats left: ${accepted} in, ${full} full`);
    expect(accepted).toBe(FREE_MEMBER_LIMIT - 1);
    expect(full).toBe(20 - accepted);
    expect((await listMembers(db, team.id)).total).toBe(FREE_MEMBER_LIMIT);
    await flushAfterResponse();
  }, 120_000);
});
