import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { MiB, PNG_1PX, pngOfSize, postToBucket, TEXT_RENAMED_PNG } from "./photos";

/**
 * The upload contract (docs/uploads.md: POST /api/uploads, POST /api/uploads/complete,
 * the uploads table; each refusal's status from its error kind in lib/http/errors.ts), run
 * against one S3-compatible server. `enforcesPolicy`
 * says whether the server itself refuses a post that breaks the signed policy
 * (radosgw, like S3) or stores it anyway (s3rver): either way the bad file must
 * end with the contract's code and leave no row and no object behind.
 */
export function describeUploadContract(server: {
  name: string;
  enforcesPolicy: boolean;
  /** Points S3_* at the server (or leaves them unset for the local default). */
  configure: () => void;
  /** A configured bucket is created here, with the CORS rules, as its README step says. */
  createBucket: boolean;
}) {
  const load = async () => {
    server.configure();
    // lib/storage takes S3_* from env at import: import the routes again under the server's variables.
    vi.resetModules();
    return {
      uploadRoute: await import("@/app/api/uploads/route"),
      completeRoute: await import("@/app/api/uploads/complete/route"),
      photoRoute: await import("@/app/api/photos/[id]/route"),
      uploads: await import("@/lib/uploads"),
      storage: await import("@/lib/storage"),
      recipes: await import("@/lib/recipes"),
      teams: await import("@/lib/teams"),
      dbModule: await import("@/lib/db"),
      users: await import("@/tests/support/users"),
      headers: await import("@/tests/support/next/headers"),
    };
  };
  let m: Awaited<ReturnType<typeof load>>;

  beforeAll(async () => {
    m = await load();
    // Migrating the database and the first sign-up are slow on a busy machine: pay for them here, not in a test.
    await m.users.signUpTestUser("Warm-up");
    if (server.createBucket) await m.storage.prepareBucket((await m.storage.getStorage())!, ["http://localhost:3000"]);
  }, 180_000);

  const db = () => m.dbModule.db;
  // The schema of the freshly loaded modules.
  const uploadsTable = () => m.dbModule.schema.uploads;

  async function call(path: "/api/uploads" | "/api/uploads/complete", body: unknown) {
    const cookie = (await m.headers.headers()).get("cookie");
    const request = new Request(`http://localhost:3000${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const route = path === "/api/uploads" ? m.uploadRoute : m.completeRoute;
    const response = await route.POST(request);
    return { status: response.status, body: await response.json() };
  }

  /** A recipe written by `author` in `teamId`. */
  async function recipeIn(teamId: string, author: { id: string }, title = "Soup with a photo") {
    const [recipe] = await db()
      .insert(m.dbModule.schema.recipes)
      .values({ organizationId: teamId, createdBy: author.id, title })
      .returning();
    return recipe!;
  }

  /** A cook (the fake browser signed in as them) with a recipe in their personal team. */
  async function cookWithRecipe(name = "Photo Cook") {
    const cook = await m.users.signUpTestUser(name);
    return { cook, recipe: await recipeIn(cook.teamId, cook) };
  }

  /** The upload rows of the photos `userId` uploaded. */
  const rowsOf = (userId: string) => db().select().from(uploadsTable()).where(eq(uploadsTable().userId, userId));

  /** GET /api/photos/<id> as the fake browser (signed in or not, as it is now). */
  async function viewPhoto(uploadId: string, { signedIn = true } = {}) {
    const cookie = signedIn ? (await m.headers.headers()).get("cookie") : null;
    return m.photoRoute.GET(
      new Request(`http://localhost:3000/api/photos/${uploadId}`, { headers: cookie ? { cookie } : {} }),
      { params: Promise.resolve({ id: uploadId }) },
    );
  }

  async function objectExists(key: string) {
    const storage = await m.storage.getStorage();
    return (await m.storage.statObject(storage!, key)) !== null;
  }

  async function requestUpload(recipeId: string, file: Buffer, contentType = "image/png") {
    const response = await call("/api/uploads", { recipeId, contentType, size: file.length });
    expect(response.status).toBe(200);
    return response.body as { url: string; fields: Record<string, string>; key: string };
  }

  /** The post that breaks the policy: refused by the bucket where it enforces policies, stored where it does not. */
  function expectBucketVerdict(status: number, refusedWith: number) {
    if (server.enforcesPolicy) expect(status).toBe(refusedWith);
    else expect(status).toBeLessThan(300);
  }

  async function expectRefusedAtCompletion(userId: string, key: string) {
    const completion = await call("/api/uploads/complete", { key });
    expect(completion.status).toBe(422);
    expect(await rowsOf(userId)).toEqual([]);
    expect(await objectExists(key)).toBe(false);
  }

  describe(`uploads against ${server.name}`, () => {
    it("a browser-shaped presigned POST lands, is checked and linked, and is shown through the app", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, PNG_1PX);
      // The key is under the team whose recipe it is.
      expect(presigned.key).toMatch(new RegExp(`^${cook.teamId}/[0-9a-f-]{36}$`));
      expect(await rowsOf(cook.id)).toMatchObject([
        { key: presigned.key, organizationId: cook.teamId, status: "pending", recipeId: recipe.id },
      ]);

      const posted = await postToBucket(presigned, PNG_1PX);
      expect(posted.status).toBeLessThan(300);

      const completion = await call("/api/uploads/complete", { key: presigned.key });
      expect(completion.status).toBe(200);
      const [row] = await rowsOf(cook.id);
      expect(row).toMatchObject({ status: "attached", recipeId: recipe.id, size: PNG_1PX.length });
      expect(completion.body.photoUrl).toBe(`/api/photos/${row!.id}`);

      // A member of the team sees it through the app, which serves the bytes that were checked.
      const shown = await viewPhoto(row!.id);
      expect(shown.status).toBe(200);
      expect(Buffer.from(await shown.arrayBuffer())).toEqual(PNG_1PX);
      // Neither a visitor nor someone signed in outside the team does, while the recipe is unpublished.
      expect((await viewPhoto(row!.id, { signedIn: false })).status).toBe(404);
      await m.users.signUpTestUser("Outsider");
      expect((await viewPhoto(row!.id)).status).toBe(404);
      // Once the recipe is published, anyone does.
      await db()
        .update(m.dbModule.schema.recipes)
        .set({ published: true, publishedAt: new Date() })
        .where(eq(m.dbModule.schema.recipes.id, recipe.id));
      expect((await viewPhoto(row!.id, { signedIn: false })).status).toBe(200);
    });

    it("keeps a completed photo as it was checked: its presigned POST posted again replaces nothing that is shown", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, PNG_1PX);
      expect((await postToBucket(presigned, PNG_1PX)).status).toBeLessThan(300);
      expect((await call("/api/uploads/complete", { key: presigned.key })).status).toBe(200);
      const [row] = await rowsOf(cook.id);

      // The same policy again (within its minute), with a page instead of a picture; a bucket that does not
      // enforce the policy also takes the edited Content-Type.
      const html = Buffer.from("<!doctype html><script>alert(document.domain)</script>");
      await postToBucket(presigned, html, {
        type: "text/html",
        fieldOverrides: server.enforcesPolicy ? {} : { "Content-Type": "text/html" },
      });
      const shown = await viewPhoto(row!.id);
      expect(shown.status).toBe(200);
      expect(shown.headers.get("content-type")).toBe("image/png");
      expect(shown.headers.get("x-content-type-options")).toBe("nosniff");
      expect(shown.headers.get("content-disposition")).toBe(`inline; filename="photo-${row!.id}.png"`);
      expect(Buffer.from(await shown.arrayBuffer())).toEqual(PNG_1PX);
    });

    it("refuses a declared 6 MiB file (413) and other types (415), storing nothing", async () => {
      const { cook, recipe } = await cookWithRecipe();
      expect(
        (await call("/api/uploads", { recipeId: recipe.id, contentType: "image/png", size: 6 * MiB })).status,
      ).toBe(413);
      expect((await call("/api/uploads", { recipeId: recipe.id, contentType: "text/plain", size: 100 })).status).toBe(
        415,
      );
      expect(
        (await call("/api/uploads", { recipeId: recipe.id, contentType: "image/svg+xml", size: 100 })).status,
      ).toBe(415);
      expect(await rowsOf(cook.id)).toEqual([]);
    });

    it("refuses a 6 MiB file posted with a policy signed for a small one, and deletes it", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, PNG_1PX);
      const posted = await postToBucket(presigned, pngOfSize(6 * MiB));
      expectBucketVerdict(posted.status, 400);
      await expectRefusedAtCompletion(cook.id, presigned.key);
    });

    it("refuses a text file renamed .png (its first bytes are not a PNG), and deletes it", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, TEXT_RENAMED_PNG);
      // No server reads the bytes: the type is whatever the browser said, so this lands everywhere.
      const posted = await postToBucket(presigned, TEXT_RENAMED_PNG, { filename: "notes.png" });
      expect(posted.status).toBeLessThan(300);
      await expectRefusedAtCompletion(cook.id, presigned.key);
    });

    it("refuses a file posted with another Content-Type than the policy's, and deletes it", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, PNG_1PX);
      const posted = await postToBucket(presigned, PNG_1PX, { fieldOverrides: { "Content-Type": "text/html" } });
      expectBucketVerdict(posted.status, 403);
      await expectRefusedAtCompletion(cook.id, presigned.key);
    });

    it("in a shared team: the author or an admin uploads a recipe's photo, another member may not; every member sees it", async () => {
      const owner = await m.users.signUpTestUser("Team Owner");
      const team = await m.teams.createTeam(db(), { name: "Photo Kitchen", ownerId: owner.id });
      const admin = await m.users.signUpTestUser("Team Admin");
      await m.teams.addMember(db(), team.id, admin.id, "admin");
      const author = await m.users.signUpTestUser("Team Author");
      await m.teams.addMember(db(), team.id, author.id, "member");
      const other = await m.users.signUpTestUser("Team Member");
      await m.teams.addMember(db(), team.id, other.id, "member");
      const recipe = await recipeIn(team.id, author, "The team's soup");

      // Another member may not change the author's recipe: no policy, no row.
      expect((await call("/api/uploads", { recipeId: recipe.id, contentType: "image/png", size: 10 })).status).toBe(
        404,
      );
      expect(await rowsOf(other.id)).toEqual([]);

      // The author's photo, under the team's key, then an admin's replacing it.
      author.actAs();
      const byAuthor = await requestUpload(recipe.id, PNG_1PX);
      expect(byAuthor.key).toMatch(new RegExp(`^${team.id}/[0-9a-f-]{36}$`));
      await postToBucket(byAuthor, PNG_1PX);
      expect((await call("/api/uploads/complete", { key: byAuthor.key })).status).toBe(200);
      admin.actAs();
      const byAdmin = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(byAdmin, PNG_1PX);
      // Only the uploader completes their upload, even in their own team.
      other.actAs();
      expect((await call("/api/uploads/complete", { key: byAdmin.key })).status).toBe(404);
      admin.actAs();
      const completion = await call("/api/uploads/complete", { key: byAdmin.key });
      expect(completion.status).toBe(200);
      expect(await objectExists(byAuthor.key)).toBe(false);
      const [photo] = await rowsOf(admin.id);
      expect(photo).toMatchObject({ organizationId: team.id, recipeId: recipe.id, status: "attached" });

      // Every member sees the unpublished recipe's photo.
      for (const member of [owner, author, other]) {
        member.actAs();
        expect((await viewPhoto(photo!.id)).status).toBe(200);
      }
    });

    it("a policy cannot write another team's key, and no one completes another user's key", async () => {
      const victim = await cookWithRecipe("Victim");
      const victimUpload = await requestUpload(victim.recipe.id, PNG_1PX);
      expect((await postToBucket(victimUpload, PNG_1PX)).status).toBeLessThan(300);

      const attacker = await cookWithRecipe("Attacker");
      const presigned = await requestUpload(attacker.recipe.id, PNG_1PX);
      const posted = await postToBucket(presigned, TEXT_RENAMED_PNG, { fieldOverrides: { key: victimUpload.key } });
      expectBucketVerdict(posted.status, 403);

      // Completing the victim's key is refused without touching it; the attacker's own key holds nothing.
      expect((await call("/api/uploads/complete", { key: victimUpload.key })).status).toBe(404);
      await expectRefusedAtCompletion(attacker.cook.id, presigned.key);

      if (server.enforcesPolicy) {
        // The victim's object is the victim's file, untouched.
        const storage = (await m.storage.getStorage())!;
        const start = await m.storage.readObjectStart(storage, victimUpload.key, 8);
        expect(Buffer.from(start)).toEqual(PNG_1PX.subarray(0, 8));
        victim.cook.actAs();
        expect((await call("/api/uploads/complete", { key: victimUpload.key })).status).toBe(200);
      } else {
        // s3rver checks no policy: the attacker overwrote the victim's object. The victim's own
        // completion catches it (not an image any more) and deletes it; only a real S3 prevents it.
        victim.cook.actAs();
        await expectRefusedAtCompletion(victim.cook.id, victimUpload.key);
      }
    });

    it("refuses a post after the policy expired, and deletes what a lenient server stored", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await m.uploads.requestPhotoUpload(
        db(),
        cook.id,
        { recipeId: recipe.id, contentType: "image/png", size: PNG_1PX.length },
        { expiresSeconds: 1 },
      );
      // Past the expiry and the allowance for clock skew between the app and the bucket.
      await new Promise((resolve) => setTimeout(resolve, 7_500));
      const posted = await postToBucket(presigned, PNG_1PX);
      expectBucketVerdict(posted.status, 403);
      await expectRefusedAtCompletion(cook.id, presigned.key);
    });

    it("refuses to complete an upload whose file never arrived (422), leaving no row", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, PNG_1PX);
      await expectRefusedAtCompletion(cook.id, presigned.key);
    });

    it("answers 401 signed out, 404 for a recipe that is not yours, 400 for bad input", async () => {
      const other = await cookWithRecipe("Owner");
      await m.users.signUpTestUser("Someone else");
      expect(
        (await call("/api/uploads", { recipeId: other.recipe.id, contentType: "image/png", size: 10 })).status,
      ).toBe(404);
      expect((await call("/api/uploads", { recipeId: randomUUID(), contentType: "image/png", size: 10 })).status).toBe(
        404,
      );
      expect((await call("/api/uploads", { recipeId: "nope", contentType: "image/png", size: 10 })).status).toBe(400);
      expect((await call("/api/uploads", "{not json")).status).toBe(400);
      m.users.signOutTestUser();
      expect(
        (await call("/api/uploads", { recipeId: other.recipe.id, contentType: "image/png", size: 10 })).status,
      ).toBe(401);
      expect((await call("/api/uploads/complete", { key: "x/y" })).status).toBe(401);
    });

    it("replacing a photo deletes the old object; removing one deletes it too", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const first = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(first, PNG_1PX);
      expect((await call("/api/uploads/complete", { key: first.key })).status).toBe(200);
      const second = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(second, PNG_1PX);
      expect((await call("/api/uploads/complete", { key: second.key })).status).toBe(200);

      expect(await objectExists(first.key)).toBe(false);
      expect(await rowsOf(cook.id)).toMatchObject([{ key: second.key, status: "attached", recipeId: recipe.id }]);

      expect(await m.uploads.removeRecipePhoto(db(), cook.id, recipe.id)).toBe(true);
      expect(await objectExists(second.key)).toBe(false);
      expect(await rowsOf(cook.id)).toEqual([]);
    });

    it("deleting a recipe deletes its photo's object", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const presigned = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(presigned, PNG_1PX);
      expect((await call("/api/uploads/complete", { key: presigned.key })).status).toBe(200);

      await m.recipes.deleteRecipe(db(), { teamId: cook.teamId, userId: cook.id }, recipe.id);
      expect(await objectExists(presigned.key)).toBe(false);
      expect(await rowsOf(cook.id)).toEqual([]);
    });

    it("the cleanup job removes pending uploads older than a day with their objects, and keeps fresh ones", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const stale = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(stale, PNG_1PX);
      const fresh = await requestUpload(recipe.id, PNG_1PX);
      await db()
        .update(uploadsTable())
        .set({ createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) })
        .where(eq(uploadsTable().key, stale.key));

      const result = await m.uploads.removeStaleUploads(db());
      expect(result).toEqual({ removed: 1, failed: 0 });
      expect(await objectExists(stale.key)).toBe(false);
      expect((await rowsOf(cook.id)).map((row) => row.key)).toEqual([fresh.key]);
    });

    it("deleting a team's uploads deletes all its objects and rows, and no other team's", async () => {
      const { cook, recipe } = await cookWithRecipe();
      const attached = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(attached, PNG_1PX);
      expect((await call("/api/uploads/complete", { key: attached.key })).status).toBe(200);
      const pending = await requestUpload(recipe.id, PNG_1PX);
      await postToBucket(pending, PNG_1PX);
      const other = await cookWithRecipe("Other Team");
      const kept = await requestUpload(other.recipe.id, PNG_1PX);
      await postToBucket(kept, PNG_1PX);

      expect(await m.uploads.deleteTeamUploads(db(), cook.teamId)).toBe(2);
      expect(await objectExists(attached.key)).toBe(false);
      expect(await objectExists(pending.key)).toBe(false);
      expect(await rowsOf(cook.id)).toEqual([]);
      expect(await objectExists(kept.key)).toBe(true);
      expect((await rowsOf(other.cook.id)).map((row) => row.key)).toEqual([kept.key]);
    });
  });
}
