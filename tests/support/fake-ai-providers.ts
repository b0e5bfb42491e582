import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Local stand-ins for Anthropic's Messages API and an OpenAI-compatible Chat
 * Completions API, speaking their streaming wire formats (SSE), so the real
 * @ai-sdk/anthropic and @ai-sdk/openai clients run against them with no key and no network.
 */
export type FakeBehaviour =
  | { kind: "stream"; text: string; chunkSize?: number; chunkDelayMs?: number }
  | { kind: "status"; status: number }
  /** Accepts the request and never answers: the caller's timeout must fire. */
  | { kind: "hang" };

export type ReceivedCall = {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Set when the caller closed the connection before the answer ended. */
  abortedAt?: number;
  finishedAt?: number;
};

export const FAKE_USAGE = { input: 42, output: 87 };

export function startFakeProvider() {
  const calls: ReceivedCall[] = [];
  let behaviour: FakeBehaviour = { kind: "stream", text: "{}" };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const call: ReceivedCall = { path: req.url ?? "", headers: req.headers, body: JSON.parse(raw || "{}") };
      calls.push(call);
      res.on("close", () => {
        if (!res.writableFinished) call.abortedAt = Date.now();
      });
      void answer(call, res);
    });
  });

  async function answer(call: ReceivedCall, res: ServerResponse) {
    const current = behaviour;
    if (current.kind === "hang") return;
    if (current.kind === "status") {
      res.writeHead(current.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { type: "api_error", message: "Internal server error" } }));
      return;
    }
    const { text, chunkSize = 20, chunkDelayMs = 10 } = current;
    if (call.body.stream !== true && !call.path.endsWith("/chat/completions")) {
      // A call that does not stream (generateText, e.g. from a background job) gets the whole message at once.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(anthropicMessage(call, text)));
      call.finishedAt = Date.now();
      return;
    }
    const pieces = text.match(new RegExp(`[\\s\\S]{1,${chunkSize}}`, "g")) ?? [];
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const events = call.path.endsWith("/chat/completions") ? openAiEvents(call, pieces) : anthropicEvents(call, pieces);
    for (const event of events) {
      if (res.destroyed) return;
      res.write(event);
      await sleep(chunkDelayMs);
    }
    res.end();
    call.finishedAt = Date.now();
  }

  return {
    calls,
    respondWith: (next: FakeBehaviour) => (behaviour = next),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Messages, not streamed: the answer as a text block, or as the tool's input when the SDK asked for JSON through a tool. */
function anthropicMessage(call: ReceivedCall, text: string) {
  const tool = (call.body.tools as { name: string }[] | undefined)?.[0];
  return {
    id: "msg_fake_1",
    type: "message",
    role: "assistant",
    model: String(call.body.model),
    content: tool
      ? [{ type: "tool_use", id: "toolu_fake_1", name: tool.name, input: JSON.parse(text) }]
      : [{ type: "text", text }],
    stop_reason: tool ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: FAKE_USAGE.input, output_tokens: FAKE_USAGE.output },
  };
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Messages streaming: text deltas, or input_json_delta when the SDK asked for the JSON through a tool. */
function anthropicEvents(call: ReceivedCall, pieces: string[]): string[] {
  const tools = call.body.tools as { name: string }[] | undefined;
  const tool = tools?.[0];
  const model = String(call.body.model);
  return [
    sse("message_start", {
      type: "message_start",
      message: {
        id: "msg_fake_1",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: FAKE_USAGE.input, output_tokens: 1 },
      },
    }),
    sse("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: tool
        ? { type: "tool_use", id: "toolu_fake_1", name: tool.name, input: {} }
        : { type: "text", text: "" },
    }),
    ...pieces.map((piece) =>
      sse("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: tool ? { type: "input_json_delta", partial_json: piece } : { type: "text_delta", text: piece },
      }),
    ),
    sse("content_block_stop", { type: "content_block_stop", index: 0 }),
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: FAKE_USAGE.output },
    }),
    sse("message_stop", { type: "message_stop" }),
  ];
}

/** Chat Completions streaming: `data:` chunks with content deltas, usage last, then [DONE]. */
function openAiEvents(call: ReceivedCall, pieces: string[]): string[] {
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1764300000, model: call.body.model };
  const data = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
  return [
    data({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }),
    ...pieces.map((piece) =>
      data({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }),
    ),
    data({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
    data({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: FAKE_USAGE.input,
        completion_tokens: FAKE_USAGE.output,
        total_tokens: FAKE_USAGE.input + FAKE_USAGE.output,
      },
    }),
    "data: [DONE]\n\n",
  ];
}
