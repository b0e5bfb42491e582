import { expect, test, type Page } from "@playwright/test";
import { expectFieldError, uniqueTag } from "./support";

/** The contact API's limit per client IP (CONTACT_RATE_LIMIT, left at its default for this suite). */
const CONTACT_RATE_LIMIT = 10;

async function fillContactForm(page: Page, subject: string) {
  await page.getByLabel("Your name", { exact: true }).fill("Grace Hopper");
  await page.getByLabel("Your email", { exact: true }).fill("grace@example.com");
  await page.getByLabel("Subject", { exact: true }).fill(subject);
  await page.getByLabel("Message", { exact: true }).fill("The bread recipe needs more salt, I think.");
}

/** Submits the form and returns the HTTP status the contact API answered. */
async function send(page: Page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/contact" && r.request().method() === "POST"),
    page.getByRole("button", { name: "Send message" }).click(),
  ]);
  return response;
}

test.describe("Contact form", () => {
  test("shows what is missing next to each field, then sends the message", async ({ page }) => {
    await page.goto("/contact");
    await page.getByRole("button", { name: "Send message" }).click();
    await expectFieldError(page.getByLabel("Your name", { exact: true }), "Tell us your name.");
    await expectFieldError(
      page.getByLabel("Your email", { exact: true }),
      "Enter a valid email address so we can reply.",
    );
    await expectFieldError(page.getByLabel("Subject", { exact: true }), "Add a subject.");
    await expectFieldError(page.getByLabel("Message", { exact: true }), "Write at least 10 characters.");

    const subject = `Salt ${uniqueTag()}`;
    await fillContactForm(page, subject);
    const response = await send(page);
    expect(response.status()).toBe(200);
    await expect(page.getByRole("main").getByRole("status")).toHaveText(
      "Thank you! Your message is on its way; we will reply by email.",
    );
    // The errors are gone; the message is cleared, the sender's details stay for a second message.
    await expect(page.getByLabel("Your name", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Message", { exact: true })).toHaveValue("");
    await expect(page.getByLabel("Your name", { exact: true })).toHaveValue("Grace Hopper");

    // The notification to the site owner went through the email pipeline to the dev outbox.
    await page.goto("/dev/emails");
    await expect(
      page
        .getByRole("list", { name: "Emails" })
        .getByRole("listitem")
        .filter({ hasText: `Contact form: ${subject}` }),
    ).toBeVisible();
  });

  test("after ten messages in a few seconds, says when to try again", async ({ page }) => {
    await page.goto("/contact");
    // Every request comes from 127.0.0.1, so sends from earlier tests in this window count too: send until refused.
    // The sends may straddle two 10 s windows (the sliding window then lets a few more through), so the exact
    // "11th request is refused" is proved with a frozen clock in app/api/contact/route.test.ts; here, the user's view.
    let accepted = 0;
    let refused: Awaited<ReturnType<typeof send>> | undefined;
    for (let attempt = 0; attempt <= 2 * CONTACT_RATE_LIMIT + 2 && !refused; attempt++) {
      await fillContactForm(page, `Flood ${attempt}`);
      const response = await send(page);
      if (response.status() === 429) {
        refused = response;
      } else {
        expect(response.status()).toBe(200);
        await expect(page.getByRole("main").getByRole("status")).toBeVisible();
        accepted++;
      }
    }

    expect(refused, `the API accepted ${accepted} messages in a row and never answered 429`).toBeDefined();
    expect(accepted).toBeLessThanOrEqual(2 * CONTACT_RATE_LIMIT);
    const retryAfter = Number(refused!.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      `You have sent several messages in a short time. Please try again in ${retryAfter} seconds.`,
    );
    // The refused message is not lost from the form: every field keeps what was typed, to send again later.
    await expect(page.getByLabel("Subject", { exact: true })).toHaveValue(/^Flood \d+$/);
    await expect(page.getByLabel("Message", { exact: true })).toHaveValue("The bread recipe needs more salt, I think.");
  });
});
