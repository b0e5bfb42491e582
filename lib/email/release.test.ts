import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { setEnv } from "@/tests/support/env";
import { flushAfterResponse } from "@/tests/support/run-after-response";
import { heldEmails, releaseClaimedEmails } from "./delivery";
import { retryFailedEmails, sendEmail } from ".";

const { emails } = schema;
const props = { name: "Ann", email: "ann@example.test", subject: "Hello", message: "A message long enough." };
const emailRow = async (id: string) => (await db.select().from(emails).where(eq(emails.id, id)))[0]!;

describe("a server that shuts down gives back the emails it claimed", () => {
  it("unlocked, due at once and without the attempt, so another instance's sweeper sends each once", async () => {
    setEnv({ RESEND_API_KEY: undefined });
    const { id } = await sendEmail(db, {
      to: `reader-${randomUUID()}@example.test`,
      template: "contact-notification",
      props,
    });
    // This server's job claimed it, as the claim does (a lock, one more attempt), and was mid-send at the shutdown.
    const [claimed] = await db
      .update(emails)
      .set({ lockedAt: new Date(), attempts: sql`${emails.attempts} + 1` })
      .where(eq(emails.id, id))
      .returning();
    heldEmails([claimed!]);

    expect(await releaseClaimedEmails(db)).toBe(1);

    expect(await emailRow(id)).toMatchObject({ status: "queued", attempts: 0, lockedAt: null });
    // Queued seconds ago, so only the release makes it due: the sweeper does not wait its minute of grace.
    await retryFailedEmails(db);
    expect(await emailRow(id)).toMatchObject({ status: "sent", transport: "outbox", attempts: 1 });
    // The job the shutting-down server had queued finds it sent and does nothing.
    await flushAfterResponse();
    expect(await emailRow(id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await releaseClaimedEmails(db)).toBe(0);
  });
});
