import { z } from "zod";
import { emailAddress, newPassword, personName } from "@/lib/auth/schema";

/** The /account forms' inputs, shared by the Server Actions and their tests. */

export const nameInput = z.object({ name: personName });

export const emailInput = z.object({
  email: emailAddress,
});

export const passwordInput = z.object({
  currentPassword: z.string().min(1, { error: "Enter your current password." }),
  newPassword: newPassword,
});

export const sessionInput = z.object({ sessionId: z.string().min(1) });

/** Empty when the owner signed in moments ago (a fresh sign-in confirms it is them). */
export const deleteAccountInput = z.object({ password: z.string().max(128).optional() });
