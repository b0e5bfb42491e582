import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { newUser, outboxEmail, signUp, uniqueTag } from "./support";

/**
 * The team's audit log from an admin's chair: an owner makes a team and invites a cook as admin;
 * the cook joins and writes a recipe; on the Audit log page the cook filters by action and by
 * actor, and downloads the filtered events as CSV, which holds exactly what the page listed.
 */
test("a team admin filters the audit log and downloads it as CSV", async ({ page, browser }) => {
  const owner = await signUp(page, newUser("owner"));
  const teamName = `Audit Bistro ${uniqueTag()}`;
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/t\/[a-z0-9-]+\/members$/);
  const teamPath = new URL(page.url()).pathname.replace(/\/members$/, "");

  const adminUser = newUser("admin");
  await page.getByLabel("Email address").fill(adminUser.email);
  await page.getByLabel("Role").selectOption("admin");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${adminUser.email}`)).toBeVisible();

  const adminContext = await browser.newContext({ acceptDownloads: true });
  const admin = await adminContext.newPage();
  await signUp(admin, adminUser);
  await admin.goto("/dev/emails");
  await outboxEmail(admin, adminUser.email, "Open the invitation")
    .getByRole("link", { name: "Open the invitation" })
    .click();
  await admin.getByRole("button", { name: "Accept and join" }).click();
  await expect(admin).toHaveURL(new RegExp(`${teamPath}$`));

  const title = `Audited soup ${uniqueTag()}`;
  await admin.goto(`${teamPath}/recipes/new`);
  await admin.getByLabel("Title", { exact: true }).fill(title);
  await admin.getByRole("button", { name: "Create recipe" }).click();
  await expect(admin).toHaveURL(new RegExp(`${teamPath}$`));

  // The team's navigation leads an admin to the log; newest first, the recipe on top.
  await admin.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Audit log" }).click();
  await expect(admin.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const events = admin.getByRole("list", { name: "Audit events" }).getByRole("listitem");
  await expect(events.first()).toContainText("recipe.created");
  await expect(events.first()).toContainText(`by ${adminUser.name} <${adminUser.email}>`);
  await expect(events.filter({ hasText: "team.created" })).toHaveCount(1);

  // Only what the owner did, and only the team's own events of theirs.
  await admin.getByLabel("Actor").fill(owner.email);
  await admin.getByLabel("Action").selectOption("team");
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(/actor=.+&action=team/);
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText("team.member_invited");
  await expect(events.nth(1)).toContainText("team.created");
  await expect(events.filter({ hasText: "recipe.created" })).toHaveCount(0);

  // The CSV holds what the page shows: the same two events, newest first.
  const download = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-.+\.csv$/);
  const lines = (await readFile((await file.path())!, "utf8")).trim().split("\r\n");
  expect(lines[0]).toBe(
    "id,occurred_at,action,actor_type,actor_id,actor_label,target_type,target_id,ip,user_agent,request_id,metadata,prev_hash,hash",
  );
  expect(lines.slice(1).map((line) => line.split(",")[2])).toEqual(["team.member_invited", "team.created"]);
  expect(lines[1]).toContain(owner.email);

  await adminContext.close();
});
