import "server-only";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createUIMessageStream, Output, streamText, type UIMessageChunk } from "ai";
import type { Executor } from "@/lib/db";
import { env } from "@/lib/core/env";
import { logger } from "@/lib/core/logger";
import { trackProductEvent } from "@/lib/observability/analytics";
import { AiFailedError, AiTimeoutError, describeAiFailure } from "./errors";
import { aiModel, aiModelName } from "./model";
import { finishGeneration, reserveGeneration } from "./quota";
import { OUTPUT_NAMES, recipeDraft, type DraftMessage, type PartialRecipeDraft } from "./schema";

/** A draft that has started to stream: its first part is written, the rest follows as the model writes. */
export type DraftRecipeStream = { stream: ReadableStream<UIMessageChunk>; generationId: string; draftsLeft: number };

export type DraftRecipeInput = {
  /** The team whose daily quota the draft counts against (the caller must be a member). */
  teamId: string;
  userId: string;
  idea: string;
  /** The request's signal: a client that goes away aborts the provider call. */
  signal?: AbortSignal;
  requestId?: string;
};

export type ModelChoice = { model: LanguageModelV4; modelName: string; timeoutMs: number };

const INSTRUCTIONS = [
  "You help home cooks write recipes for their recipe box.",
  "From the cook's idea, write one recipe: a short title, a one or two sentence description,",
  "ingredients with quantities (one per entry) and clear numbered-free steps (one per entry).",
  "Use metric quantities. Never include anything but the recipe.",
].join(" ");

/**
 * Drafts a recipe from an idea, streamed as it is written. The call is
 * reserved against the daily quota (an `ai_generations` row) before the model
 * is asked, and the row records how it ended. Throws `AiQuotaExceededError`
 * when today's drafts are used up, and `AiFailedError` when the model fails
 * before its first token; after it, a failure is an error part inside the stream.
 */
export async function draftRecipe(
  database: Executor,
  { teamId, userId, idea, signal, requestId }: DraftRecipeInput,
  { model, modelName, timeoutMs }: ModelChoice = { model: aiModel, modelName: aiModelName, timeoutMs: env.aiTimeoutMs },
): Promise<DraftRecipeStream> {
  const reservation = await reserveGeneration(database, { teamId, userId }, "recipe-draft", modelName);
  const generationId = reservation.generation.id;
  const log = logger.child({ requestId, generationId, model: modelName });

  // One signal for the provider call: the client leaving, or our own deadline.
  const call = new AbortController();
  const deadline = setTimeout(() => call.abort(new AiTimeoutError(timeoutMs)), timeoutMs);
  const onClientGone = () => call.abort(new DOMException("The client disconnected.", "AbortError"));
  if (signal?.aborted) onClientGone();
  signal?.addEventListener("abort", onClientGone, { once: true });
  const release = () => {
    clearTimeout(deadline);
    signal?.removeEventListener("abort", onClientGone);
  };

  let providerError: unknown;
  const result = streamText({
    model,
    instructions: INSTRUCTIONS,
    prompt: `Idea: ${idea}`,
    output: Output.object({ schema: recipeDraft, name: OUTPUT_NAMES.recipeDraft, description: "A recipe draft" }),
    maxOutputTokens: 2000,
    // A draft is interactive: the user retries, and a failed call does not count against the quota.
    maxRetries: 0,
    abortSignal: call.signal,
    onError: ({ error }) => {
      providerError ??= error;
    },
  });

  const partials = result.partialOutputStream[Symbol.asyncIterator]();
  let first: IteratorResult<PartialRecipeDraft>;
  try {
    first = await partials.next();
  } catch (error) {
    providerError ??= error;
    first = { done: true, value: undefined };
  }

  /** Records how the call ended: aborted (client left), failed (provider or timeout), or succeeded. */
  const settle = async (error: unknown) => {
    release();
    const reason = call.signal.reason;
    if (call.signal.aborted && !(reason instanceof AiTimeoutError)) {
      await finishGeneration(database, generationId, { status: "aborted", error: "client disconnected" });
      log.info("ai draft aborted: the client disconnected");
      return undefined;
    }
    if (error || call.signal.aborted) {
      const failure = describeAiFailure(call.signal.aborted ? reason : error);
      await finishGeneration(database, generationId, { status: "failed", error: failure.reason });
      log.warn({ reason: failure.reason }, "ai draft failed");
      return failure;
    }
    const usage = await result.usage;
    await finishGeneration(database, generationId, {
      status: "succeeded",
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    });
    log.info({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }, "ai draft finished");
    await trackProductEvent(userId, "ai draft generated", {
      generationId,
      model: modelName,
      inputTokens: usage.inputTokens ?? null,
      outputTokens: usage.outputTokens ?? null,
    });
    return undefined;
  };

  if (first.done) {
    const failure = await settle(providerError ?? new Error("The model returned no draft."));
    throw new AiFailedError(
      failure ?? { kind: "upstream-failed", message: "The draft was cancelled.", reason: "client disconnected" },
    );
  }

  const messages = createUIMessageStream<DraftMessage>({
    async execute({ writer }) {
      writer.write({ type: "data-draft", id: "draft", data: first.value });
      let streamError: unknown;
      try {
        for (let next = await partials.next(); !next.done; next = await partials.next()) {
          writer.write({ type: "data-draft", id: "draft", data: next.value });
        }
        // The complete draft must match the schema; a truncated or malformed one is a failure.
        if (!providerError) await result.output;
      } catch (error) {
        streamError = error;
      }
      const failure = await settle(providerError ?? streamError);
      if (failure) throw new Error(failure.message);
    },
    // Only our own messages reach the browser (describeAiFailure never passes on provider text).
    onError: (error) => (error instanceof Error ? error.message : "The draft failed."),
  });

  // A response body the client cancels stops the model call too.
  const reader = messages.getReader();
  const stream = new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      onClientGone();
      await reader.cancel(reason);
    },
  });

  return { stream, generationId, draftsLeft: reservation.left };
}
