import { toPlainText } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { renderEmail, renderPreviews, templates } from "./index";

describe("email templates", () => {
  it("each renders its sample props (the /dev/emails preview) to HTML and text with its subject", async () => {
    const previews = await renderPreviews();
    expect(previews.map((preview) => preview.name).sort()).toEqual(Object.keys(templates).sort());
    for (const preview of previews) {
      expect(preview.subject.length, preview.name).toBeGreaterThan(5);
      expect(preview.html, preview.name).toMatch(/^<!DOCTYPE html/);
      expect(preview.text.length, preview.name).toBeGreaterThan(20);
    }
  });

  it("each text version is exactly React Email's own plain text of the HTML (the converter is only compiled once)", async () => {
    for (const preview of await renderPreviews()) expect(preview.text, preview.name).toBe(toPlainText(preview.html));
  });

  it("the goodbye email says the subscription is canceled only when one was", async () => {
    const withSub = await renderEmail("account-deleted", { name: "Ada", subscriptionCanceled: true });
    const without = await renderEmail("account-deleted", { name: "Ada", subscriptionCanceled: false });
    expect(withSub.text).toContain("subscription is canceled");
    expect(without.text).not.toContain("subscription");
    expect(without.text).toMatch(/goodbye, ada/i);
  });

  it("the invitation names the role with its article: an owner, an admin, a member", async () => {
    const props = { inviterName: "Olive", teamName: "Test Kitchen", url: "http://localhost:3000/invitations/x" };
    for (const [role, phrase] of [
      ["owner", "as an owner"],
      ["admin", "as an admin"],
      ["member", "as a member"],
    ]) {
      expect((await renderEmail("team-invitation", { ...props, role: role! })).text, role).toContain(phrase);
    }
  });
});
