import { z } from "zod";

/** The forms of /admin (lib/admin/guard.ts checks the operator before any of them is read). */
export const userRef = z.object({ userId: z.string().trim().min(1).max(100) });

export const banInput = userRef.extend({
  reason: z
    .string()
    .trim()
    .min(3, { error: "Say why (at least 3 characters): the operators after you will read it." })
    // The audit log keeps it in the event's metadata, which holds short facts (lib/audit/metadata.ts).
    .max(200, { error: "At most 200 characters." }),
});

export const searchQuery = z.object({
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
