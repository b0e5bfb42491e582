import "server-only";
import { APICallError, RetryError } from "ai";
import { AppError } from "@/lib/core/errors";

export type AiFailure = {
  /** A provider that failed, or one that did not answer in time. */
  kind: "upstream-failed" | "upstream-timeout";
  /** Shown to the user; never the provider's own text (it may echo the prompt or a key's prefix). */
  message: string;
  /** For ai_generations.error and the log: ids and reasons, no bodies. */
  reason: string;
};

export class AiTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The model did not finish within ${timeoutMs} ms.`);
    this.name = "AiTimeoutError";
  }
}

/** A model call that failed before it produced anything: its message is ours, never the provider's. */
export class AiFailedError extends AppError {
  constructor(failure: AiFailure) {
    super(failure.kind, failure.message, { reason: "ai-failed" });
    this.name = "AiFailedError";
  }
}

/** Maps whatever a model call threw to a kind of failure and a message a person can act on. */
export function describeAiFailure(error: unknown): AiFailure {
  // After its retries the SDK wraps the provider's last answer.
  if (RetryError.isInstance(error) && error.lastError !== undefined) return describeAiFailure(error.lastError);
  if (error instanceof AiTimeoutError || (error instanceof Error && error.name === "TimeoutError")) {
    return {
      kind: "upstream-timeout",
      message: "The AI model took too long to answer. Please try again.",
      reason: "timeout",
    };
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const busy = status === 429 || status === 529 || status === 503;
    return {
      kind: "upstream-failed",
      message: busy
        ? "The AI provider is busy right now. Please try again in a minute."
        : "The AI provider could not write a draft right now. Please try again.",
      reason: `provider answered ${status ?? "without a status"}`,
    };
  }
  return {
    kind: "upstream-failed",
    message: "The AI model could not write a draft right now. Please try again.",
    reason: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : "unknown error",
  };
}
