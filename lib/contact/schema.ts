import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/core/text";

// NUL and lone surrogates cannot be stored or emailed: refuse them as a field error, not a 503 or a lost notification.
const storable = isStorableText;
const storableError = { error: UNSTORABLE_TEXT_MESSAGE };

/** The contact form's fields: shared by the /contact page and POST /api/contact. */
export const contactInput = z.object({
  name: z
    .string({ error: "Tell us your name." })
    .trim()
    .min(1, { error: "Tell us your name." })
    .max(100, { error: "Keep your name under 100 characters." })
    .refine(storable, storableError),
  email: z.email({ error: "Enter a valid email address so we can reply." }).max(254).refine(storable, storableError),
  subject: z
    .string({ error: "Add a subject." })
    .trim()
    .min(1, { error: "Add a subject." })
    .max(150, { error: "Keep the subject under 150 characters." })
    .refine(storable, storableError),
  message: z
    .string({ error: "Write a message." })
    .trim()
    .min(10, { error: "Write at least 10 characters." })
    .max(5000, { error: "Keep the message under 5000 characters." })
    .refine(storable, storableError),
});

export type ContactInput = z.output<typeof contactInput>;

/** Field errors as the API returns them (`z.flattenError`) and the form shows them. */
export type ContactFieldErrors = Partial<Record<keyof ContactInput, string[]>>;

/** The honeypot: a field people never see, so only bots fill it in. */
export const HONEYPOT_FIELD = "website";

/** Whether a posted body filled in the honeypot (a bot: answer as if it worked, and keep nothing). */
export function filledHoneypot(body: unknown): boolean {
  return typeof body === "object" && body !== null && Boolean((body as Record<string, unknown>)[HONEYPOT_FIELD]);
}

/** The largest body POST /api/contact reads. */
export const CONTACT_MAX_BYTES = 32 * 1024;
