import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { openPage, signedInPages, signedOutPages } from "./pages";

/**
 * axe-core on every page, signed out and signed in, the dev tools included, on a desktop and on a 390 px
 * phone: no serious or critical violation (contrast, names of controls and links, labels, landmarks, ARIA).
 */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      where: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}

for (const viewport of [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
]) {
  test.describe(`on a ${viewport.name}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("signed-out pages have no serious or critical axe violation", async ({ page }) => {
      for (const path of signedOutPages) {
        await openPage(page, path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });

    test("signed-in pages have no serious or critical axe violation", async ({ page }) => {
      const { paths } = await signedInPages(page);
      for (const path of paths) {
        await openPage(page, path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });
  });
}

/** Whether the focused element shows a focus ring: an outline or a box shadow of at least 2 px. */
async function focusIsVisible(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
  });
}

test.describe("with the keyboard", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("Skip to content comes first, every stop shows its focus, and the menu opens, traps and returns focus", async ({
    page,
  }) => {
    await openPage(page, "/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    expect((await skip.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(await focusIsVisible(page)).toBe(true);

    // Logo, then the Menu button: the header's only stops on a phone.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Recipe Box" })).toBeFocused();
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press("Tab");
    const menuButton = page.getByRole("button", { name: "Menu" });
    await expect(menuButton).toBeFocused();
    expect(await focusIsVisible(page)).toBe(true);

    await page.keyboard.press("Enter");
    const menu = page.getByRole("dialog", { name: "Menu" });
    await expect(menu).toBeVisible();
    // Focus is inside, and Tab keeps it there however often it is pressed.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      expect(await menu.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      expect(await focusIsVisible(page)).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(menu).toHaveCount(0);
    await expect(menuButton).toBeFocused();
  });

  test("a form is filled and sent with the keyboard alone, and its errors are reached", async ({ page }) => {
    await openPage(page, "/contact");
    const name = page.getByLabel("Your name", { exact: true });
    await name.focus();
    expect(await focusIsVisible(page)).toBe(true);
    // Tab through the four fields to the button, and send the empty form.
    for (const label of ["Your email", "Subject", "Message"]) {
      await page.keyboard.press("Tab");
      await expect(page.getByLabel(label, { exact: true })).toBeFocused();
      expect(await focusIsVisible(page)).toBe(true);
    }
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Send message" })).toBeFocused();
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press("Enter");
    await expect(name).toHaveAttribute("aria-invalid", "true");
  });
});
