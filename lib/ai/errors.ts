import "server-only";
import { APICallError, RetryError } from "ai";

export type AiFailure = {
  /** The HTTP status for a failure before streaming starts. */
  status: 502 | 504;
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

/** Maps whatever a model call threw to a status and a message a person can act on. */
export function describeAiFailure(error: unknown): AiFailure {
  // After its retries the SDK wraps the provider's last answer.
  if (RetryError.isInstance(error) && error.lastError !== undefined) return describeAiFailure(error.lastError);
  if (error instanceof AiTimeoutError || (error instanceof Error && error.name === "TimeoutError")) {
    return {
      status: 504,
      message: "The AI model took too long to answer. Please try again.",
      reason: "timeout",
    };
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const busy = status === 429 || status === 529 || status === 503;
    return {
      status: 502,
      message: busy
        ? "The AI provider is busy right now. Please try again in a minute."
        : "The AI provider could not write a draft right now. Please try again.",
      reason: `provider answered ${status ?? "without a status"}`,
    };
  }
  return {
    status: 502,
    message: "The AI model could not write a draft right now. Please try again.",
    reason: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : "unknown error",
  };
}
