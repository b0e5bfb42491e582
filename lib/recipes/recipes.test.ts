import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import type { UploadStatus } from "@/lib/db/schema";
import { addMember, createTeam } from "@/lib/teams";
import { signUpTestUser } from "@/tests/support/users";
import { getRecipeForMember, listTeamRecipesWithPhotos } from "./recipes";

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

type Author = { id: string; teamId: string };

async function recipeOf(author: Author, title: string, createdAt: Date) {
  const [recipe] = await db
    .insert(schema.recipes)
    .values({ organizationId: author.teamId, createdBy: author.id, title, createdAt })
    .returning();
  return recipe!;
}

async function photoOf(uploader: Author, recipeId: string | null, status: UploadStatus) {
  const [upload] = await db
    .insert(schema.uploads)
    .values({
      key: `${uploader.teamId}/${randomUUID()}`,
      organizationId: uploader.teamId,
      userId: uploader.id,
      recipeId,
      contentType: "image/png",
      size: 68,
      status,
      expiresAt: new Date(Date.now() + 60_000),
    })
    .returning();
  return upload!;
}

describe("the team's recipe list, with each recipe's photo", () => {
  it("lists the team's recipes newest first, each with its attached photo or null", async () => {
    const cook = await signUpTestUser("List Cook");
    const older = await recipeOf(cook, "Older", new Date(Date.now() - 60_000));
    const newer = await recipeOf(cook, "Newer", new Date());
    const withoutPhoto = await recipeOf(cook, "No photo yet", new Date(Date.now() - 120_000));
    const photo = await photoOf(cook, older.id, "attached");
    // Neither a pending upload (not checked yet) nor a replaced photo (detached: no recipe) is shown.
    await photoOf(cook, withoutPhoto.id, "pending");
    await photoOf(cook, null, "attached");

    const list = await listTeamRecipesWithPhotos(db, cook.teamId);
    expect(list.map(({ id, title, photoId }) => ({ id, title, photoId }))).toEqual([
      { id: newer.id, title: "Newer", photoId: null },
      { id: older.id, title: "Older", photoId: photo.id },
      { id: withoutPhoto.id, title: "No photo yet", photoId: null },
    ]);
    expect(list[1]).toMatchObject({
      organizationId: cook.teamId,
      createdBy: cook.id,
      author: "List Cook",
      published: false,
      ingredients: [],
    });
  });

  it("holds every member's recipes with their author, and never another team's recipes or photos", async () => {
    const owner = await signUpTestUser("Owner Cook");
    const member = await signUpTestUser("Member Cook");
    const team = await createTeam(db, { name: "Shared Kitchen", ownerId: owner.id });
    await addMember(db, team.id, member.id, "member");
    const byOwner = await recipeOf({ id: owner.id, teamId: team.id }, "Owner's", new Date(Date.now() - 1_000));
    const byMember = await recipeOf({ id: member.id, teamId: team.id }, "Member's", new Date());
    // The member's personal team is another team: nothing of it shows in the shared one, nor the other way round.
    const personal = await recipeOf(member, "Personal", new Date());
    await photoOf(member, personal.id, "attached");

    expect(
      (await listTeamRecipesWithPhotos(db, team.id)).map(({ id, author, photoId }) => ({ id, author, photoId })),
    ).toEqual([
      { id: byMember.id, author: "Member Cook", photoId: null },
      { id: byOwner.id, author: "Owner Cook", photoId: null },
    ]);
    expect((await listTeamRecipesWithPhotos(db, member.teamId)).map((recipe) => recipe.id)).toEqual([personal.id]);
    expect(await listTeamRecipesWithPhotos(db, owner.teamId)).toEqual([]);
  });
});

describe("getRecipeForMember", () => {
  it("shows a team's recipe to its members only, saying who may change it", async () => {
    const owner = await signUpTestUser("Owner Cook");
    const member = await signUpTestUser("Member Cook");
    const outsider = await signUpTestUser("Outside Cook");
    const team = await createTeam(db, { name: "Shared Kitchen", ownerId: owner.id });
    await addMember(db, team.id, member.id, "member");
    const byOwner = await recipeOf({ id: owner.id, teamId: team.id }, "Owner's", new Date());
    const byMember = await recipeOf({ id: member.id, teamId: team.id }, "Member's", new Date());
    const as = (user: { id: string }) => ({ teamId: team.id, userId: user.id });

    expect(await getRecipeForMember(db, as(member), byMember.id)).toMatchObject({ id: byMember.id, mayChange: true });
    expect(await getRecipeForMember(db, as(member), byOwner.id)).toMatchObject({ id: byOwner.id, mayChange: false });
    expect(await getRecipeForMember(db, as(owner), byMember.id)).toMatchObject({ id: byMember.id, mayChange: true });
    // Someone outside the team finds nothing, naming the team or their own.
    expect(await getRecipeForMember(db, as(outsider), byOwner.id)).toBeNull();
    expect(await getRecipeForMember(db, { teamId: outsider.teamId, userId: outsider.id }, byOwner.id)).toBeNull();
    // A member naming another of their teams does not reach it there either.
    expect(await getRecipeForMember(db, { teamId: member.teamId, userId: member.id }, byMember.id)).toBeNull();
  });
});
