import type { UIMessage } from "ai";
import { z } from "zod";

/** POST /api/ai/draft-recipe: the body's size limit (413 above it). */
export const DRAFT_REQUEST_MAX_BYTES = 8 * 1024;

export const draftRequest = z.object({
  idea: z
    .string({ error: "Describe the dish you have in mind." })
    .trim()
    .min(3, { error: "Describe the dish in at least 3 characters." })
    .max(500, { error: "Keep the idea under 500 characters." }),
  /** The team the draft is for (its daily quota); the caller's personal team when absent. */
  teamId: z.string().min(1).max(100).optional(),
});

/** What the model writes for a recipe draft: the recipe form's fields. */
export const recipeDraft = z.object({
  title: z.string().describe("A short recipe title"),
  description: z.string().describe("One or two sentences that sell the dish"),
  ingredients: z.array(z.string()).describe("One ingredient per entry, with quantities"),
  steps: z.array(z.string()).describe("The method, one step per entry, in order"),
});
export type RecipeDraft = z.infer<typeof recipeDraft>;

/** The draft as it streams in: any field may still be missing or half written. */
export type PartialRecipeDraft = {
  title?: string;
  description?: string;
  ingredients?: (string | undefined)[];
  steps?: (string | undefined)[];
};

export const weekDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** Where the dashboard shows the week plan (the `href` of its ai.draft.finished event). */
export const weekPlanHref = (teamSlug: string) => `/t/${teamSlug}#week-plan`;

/** "Plan my week": one dinner per day, from the user's own recipes where it can. */
export const weekPlan = z.object({
  days: z
    .array(
      z.object({
        day: z.enum(weekDays),
        dinner: z.string().describe("The recipe title, or a new idea when the box has too few"),
        note: z.string().describe("One line: why this day, or what to prepare ahead"),
      }),
    )
    .length(7),
});
export type WeekPlan = z.infer<typeof weekPlan>;

/** The names the offline model recognises a request by (Output.object's `name`). */
export const OUTPUT_NAMES = { recipeDraft: "recipe_draft", weekPlan: "week_plan" } as const;

/** The draft stream's data parts: `data-draft` carries the draft as it grows (same id, so each replaces the last). */
export type DraftStreamData = { draft: PartialRecipeDraft };

/** The draft stream's message type (route and page): no text, one `data-draft` part that grows. */
export type DraftMessage = UIMessage<never, DraftStreamData>;
