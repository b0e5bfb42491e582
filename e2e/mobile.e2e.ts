import { expect, test, type Page } from "@playwright/test";
import { openPage, signedInPages, signedOutPages } from "./pages";
import { recipeRow } from "./support";

/**
 * Every page at 390 px wide (a current phone), with touch: nothing sticks out or is cut off, every control is
 * at least 44 × 44 px (links inside a sentence excepted, as WCAG 2.5.8 allows), and no control is hidden
 * under another. The same checks run with the phone's menu and a confirmation dialog open.
 */
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** What is wrong with the page's layout at this width, as sentences; empty when nothing is. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => {
      const label = el.getAttribute("aria-label") ?? el.textContent ?? "";
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}> "${label.trim().replace(/\s+/g, " ").slice(0, 50)}"`;
    };
    const shown = (el: Element) => {
      if (el.closest('[aria-hidden="true"], [hidden]') || el.getClientRects().length === 0) return false;
      // Inside a closed <details> only its summary is on screen (Chromium still lays the rest out when asked).
      const closed = el.closest("details:not([open])");
      if (closed && !closed.querySelector(":scope > summary")?.contains(el)) return false;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      // Visually hidden for screen readers only (sr-only): 1 × 1 px.
      return style.visibility !== "hidden" && (box.width > 1 || box.height > 1);
    };

    if (document.documentElement.scrollWidth > width)
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${width}`);
    for (const el of document.body.querySelectorAll("*")) {
      if (!shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 || box.left < -0.5)
        problems.push(`${name(el)} sticks out of the screen (${Math.round(box.left)}…${Math.round(box.right)} px)`);
      const { overflowX } = getComputedStyle(el);
      const clips = ["auto", "scroll", "hidden", "clip"].includes(overflowX);
      if (clips && !el.matches("input, textarea, select, iframe") && el.scrollWidth > el.clientWidth + 1)
        problems.push(`${name(el)} cuts its content off (${el.scrollWidth} px in ${el.clientWidth})`);
    }

    // A tab panel is focusable (to reach its content from the keyboard) but is no tap target: left out, or a
    // panel still showing one line ("Loading emails…") would count as a 20 px control.
    const controls = document.querySelectorAll(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="tab"], ' +
        '[role="menuitem"], [tabindex]:not([tabindex="-1"]):not([role="tabpanel"])',
    );
    for (const el of controls) {
      if (!shown(el)) continue;
      // A link inside a sentence may be as small as its words (WCAG 2.5.8's exception for inline targets).
      const inSentence =
        el.tagName === "A" &&
        getComputedStyle(el).display === "inline" &&
        (el.parentElement?.textContent?.trim().length ?? 0) > (el.textContent?.trim().length ?? 0);
      el.scrollIntoView({ block: "center", inline: "center" });
      const box = el.getBoundingClientRect();
      // A checkbox or radio inside its <label> is toggled by a tap anywhere on the label: that is its target.
      const label = el.matches('input[type="checkbox"], input[type="radio"]') ? el.closest("label") : null;
      const target = label ? label.getBoundingClientRect() : box;
      if (!inSentence && (target.width < 44 || target.height < 44))
        problems.push(`${name(el)} is ${Math.round(target.width)} × ${Math.round(target.height)} px, under 44 × 44`);
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (top && top !== el && !el.contains(top)) problems.push(`${name(el)} is hidden under ${name(top)}`);
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

async function expectLaidOutForPhones(page: Page, where: string) {
  expect(await layoutProblems(page), where).toEqual([]);
}

test("every signed-out page fits a 390 px phone: nothing cut off, 44 px targets, nothing covered", async ({ page }) => {
  for (const path of signedOutPages) {
    await openPage(page, path);
    await expectLaidOutForPhones(page, path);
  }

  // The header stays on one line, its links in the menu, which passes the same checks when open.
  await openPage(page, "/");
  const header = page.getByRole("banner");
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(65);
  await header.getByRole("button", { name: "Menu" }).click();
  const menu = page.getByRole("dialog", { name: "Menu" });
  await expect(menu.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expectLaidOutForPhones(page, "/ with the menu open");
  await menu.getByRole("link", { name: "Contact" }).click();
  await expect(page).toHaveURL(/\/contact$/);
  await expect(menu).toHaveCount(0);
});

test("every signed-in page fits a 390 px phone, and a recipe row keeps its title whole", async ({ page }) => {
  const { paths, recipeTitle } = await signedInPages(page);
  for (const path of paths) {
    await openPage(page, path);
    await expectLaidOutForPhones(page, path);
  }

  // A row without a photo gives its title the row's width, not a one-word column beside the buttons.
  await openPage(page, "/dashboard");
  const row = recipeRow(page, recipeTitle);
  const title = row.getByRole("heading", { name: recipeTitle });
  expect((await title.boundingBox())!.width).toBeGreaterThan(0.8 * (await row.boundingBox())!.width - 32);

  // The question before deleting is a dialog that fits too.
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
  await expectLaidOutForPhones(page, "/dashboard with the delete question open");
  await page.getByRole("button", { name: "Cancel" }).click();

  // Signed in, the menu holds the account's links.
  await page.getByRole("banner").getByRole("button", { name: "Menu" }).click();
  const menu = page.getByRole("dialog", { name: "Menu" });
  await expect(menu.getByRole("link", { name: "Account" })).toBeVisible();
  await expect(menu.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expectLaidOutForPhones(page, "/dashboard with the menu open");
});
