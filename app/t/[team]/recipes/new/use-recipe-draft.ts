"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useState } from "react";
import type { DraftMessage, PartialRecipeDraft } from "@/lib/ai/schema";
import { DRAFT_API, draftFailureFrom } from "./draft-request";

export type DraftPhase = "idle" | "drafting" | "done" | "stopped" | "failed";

/**
 * Streams a recipe draft from our own Route Handler with the AI SDK's chat
 * hook: the route answers a UI message stream whose `data-draft` part grows,
 * and each new version of it goes to `onDraft`. A refused request (401, 429
 * with Retry-After, 502/504) becomes a DraftFailure with the route's message.
 */
export function useRecipeDraft({
  teamId,
  onDraft,
  initialDraftsLeft,
}: {
  /** The team whose daily quota the draft counts against. */
  teamId: string;
  onDraft: (draft: PartialRecipeDraft) => void;
  initialDraftsLeft: number;
}) {
  const [draftsLeft, setDraftsLeft] = useState(initialDraftsLeft);
  const [stopped, setStopped] = useState(false);
  const [transport] = useState(
    () =>
      new DefaultChatTransport<DraftMessage>({
        api: DRAFT_API,
        // The route takes the idea, not a chat history.
        prepareSendMessagesRequest: ({ messages }) => ({ body: { idea: ideaOf(messages.at(-1)), teamId } }),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!response.ok) {
            const failure = await draftFailureFrom(response);
            if (failure.quotaExhausted) setDraftsLeft(0);
            throw failure;
          }
          const left = response.headers.get("x-ai-drafts-left");
          if (left !== null) setDraftsLeft(Number(left));
          return response;
        },
      }),
  );
  const chat = useChat<DraftMessage>({
    transport,
    onData: (part) => {
      if (part.type === "data-draft") onDraft(part.data);
    },
  });

  const busy = chat.status === "submitted" || chat.status === "streaming";
  const phase: DraftPhase = busy
    ? "drafting"
    : chat.status === "error"
      ? "failed"
      : stopped
        ? "stopped"
        : chat.messages.length > 0
          ? "done"
          : "idle";

  return {
    phase,
    error: chat.error,
    draftsLeft,
    start(idea: string) {
      setStopped(false);
      // Each draft is a fresh request: no history is kept or sent.
      chat.setMessages([]);
      void chat.sendMessage({ text: idea });
    },
    /** Aborts the request; the route then aborts the model call. The fields keep what arrived. */
    stop() {
      setStopped(true);
      void chat.stop();
    },
  };
}

function ideaOf(message: DraftMessage | undefined): string {
  return (message?.parts ?? []).map((part) => (part.type === "text" ? part.text : "")).join("");
}
