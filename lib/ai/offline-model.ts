import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { OUTPUT_NAMES, weekDays, type RecipeDraft, type WeekPlan } from "./schema";

/**
 * The local default when no provider is configured: a real AI SDK language
 * model (LanguageModelV4) that needs no network or account. It answers with a
 * clearly labelled sample built from the prompt, streamed in small pieces like
 * a real model, so `npm run dev` shows the whole flow. It recognises what is
 * asked by the structured output's name (see OUTPUT_NAMES).
 */
export const OFFLINE_LABEL = "Sample draft (offline model)";

export type OfflineModelOptions = { chunkSize?: number; chunkDelayMs?: number };

export function createOfflineModel(
  modelId = "sample-drafts",
  { chunkSize = 24, chunkDelayMs = 25 }: OfflineModelOptions = {},
): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "offline",
    modelId,
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV4GenerateResult> {
      const text = answer(options);
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "end_turn" },
        usage: usage(options.prompt, text),
        warnings: [],
      };
    },
    async doStream(options) {
      const text = answer(options);
      const pieces = text.match(new RegExp(`[\\s\\S]{1,${chunkSize}}`, "g")) ?? [];
      const parts: LanguageModelV4StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "response-metadata", modelId, timestamp: new Date() },
        { type: "text-start", id: "0" },
        ...pieces.map((delta): LanguageModelV4StreamPart => ({ type: "text-delta", id: "0", delta })),
        { type: "text-end", id: "0" },
        { type: "finish", finishReason: { unified: "stop", raw: "end_turn" }, usage: usage(options.prompt, text) },
      ];
      const signal = options.abortSignal;
      let next = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async pull(controller) {
          // Pace the text like a model writing it; stop as soon as the caller gives up.
          if (parts[next]?.type === "text-delta" && chunkDelayMs > 0) await delay(chunkDelayMs, signal);
          if (signal?.aborted) {
            controller.error(signal.reason ?? new DOMException("The model call was aborted.", "AbortError"));
            return;
          }
          const part = parts[next++];
          if (part) controller.enqueue(part);
          else controller.close();
        },
      });
      return { stream };
    },
  };
}

function answer(options: LanguageModelV4CallOptions): string {
  const format = options.responseFormat;
  const prompt = lastUserText(options.prompt);
  if (format?.type === "json" && format.name === OUTPUT_NAMES.weekPlan) return JSON.stringify(sampleWeekPlan(prompt));
  if (format?.type === "json") return JSON.stringify(sampleDraft(prompt));
  return `${OFFLINE_LABEL}: set AI_MODEL and a provider key for real answers.`;
}

/** A sample recipe draft that names the idea it was given and says where it came from. */
export function sampleDraft(prompt: string): RecipeDraft {
  const idea = (prompt.match(/Idea:\s*([\s\S]*)$/)?.[1] ?? prompt).trim().replace(/\s+/g, " ").slice(0, 80);
  const dish = idea.replace(/^(an?|the)\s+/i, "") || "your dish";
  return {
    title: `Sample: ${dish.charAt(0).toUpperCase()}${dish.slice(1)}`,
    description:
      `${OFFLINE_LABEL} for "${idea}". It shows how drafting works without an account: ` +
      "set AI_MODEL and a provider key for real recipes.",
    ingredients: [
      "1 tbsp oil or butter",
      "1 onion, finely chopped",
      "2 cloves garlic, crushed",
      `400 g of the main ingredient for ${dish}`,
      "Salt and pepper to taste",
    ],
    steps: [
      "Warm the oil in a wide pan over a medium heat.",
      "Soften the onion for 8 minutes, then add the garlic for 1 more.",
      `Add the main ingredient for ${dish} and cook until done.`,
      "Season, taste, and serve hot.",
    ],
  };
}

/** A sample week from the recipe titles listed in the prompt ("- Title" lines). */
export function sampleWeekPlan(prompt: string): WeekPlan {
  const titles = [...prompt.matchAll(/^- (.+)$/gm)].map((match) => match[1]!.trim());
  return {
    days: weekDays.map((day, i) => ({
      day,
      dinner: titles.length ? titles[i % titles.length]! : `Sample dinner ${i + 1}`,
      note: `${OFFLINE_LABEL}: ${titles.length ? "picked in turn from your recipes" : "add recipes for a real plan"}.`,
    })),
  };
}

function lastUserText(prompt: LanguageModelV4Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i]!;
    if (message.role !== "user") continue;
    return message.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
  }
  return "";
}

// Roughly four characters per token, like the providers' English average.
function usage(prompt: LanguageModelV4Prompt, output: string): LanguageModelV4Usage {
  const inputChars = JSON.stringify(prompt).length;
  const input = Math.ceil(inputChars / 4);
  const out = Math.ceil(output.length / 4);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: out, text: out, reasoning: undefined },
  };
}

function delay(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
