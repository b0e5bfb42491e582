import "server-only";
// First: it unsets the empty variables of a copied .env.example, which the AI SDK reads (and refuses) on import.
import { env } from "@/lib/core/env";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createOfflineModel } from "./offline-model";

/**
 * The provider module for AI: AI_MODEL ("provider:model-id") picks the
 * provider and model; with no key the offline sample model is the local
 * default. Keys are read here and sent only to the provider, from the server.
 */
export const aiModelName = env.aiModel;

const [provider, ...rest] = aiModelName.split(":");
const modelId = rest.join(":");

/** True when a real provider answers (a key is set), false on the offline sample model. */
export const isAiProviderConfigured = provider !== "offline";

/** The configured provider's SDK is imported only when AI_MODEL names it: the others never load. */
async function createModel(): Promise<LanguageModelV4> {
  if (provider === "anthropic") {
    const { createAnthropic } = await import("@ai-sdk/anthropic");
    return createAnthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL })(modelId);
  }
  if (provider === "openai") {
    // Chat Completions: spoken by OpenAI and by every OpenAI-compatible server OPENAI_BASE_URL may point at.
    const { createOpenAI } = await import("@ai-sdk/openai");
    return createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }).chat(modelId);
  }
  return createOfflineModel(modelId);
}

export const aiModel: LanguageModelV4 = await createModel();
