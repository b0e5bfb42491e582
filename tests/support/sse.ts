/** One Server-Sent Event as a browser's EventSource would see it. */
export type ServerSentEvent = { id?: string; event: string; data: string };

/**
 * Reads an SSE body the way EventSource parses it (fields `id`, `event`,
 * `data`, blank line ends an event, `:` lines are comments), so tests assert
 * on what a browser receives.
 */
export function readServerSentEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: ServerSentEvent[] = [];
  const waiters: (() => void)[] = [];
  let buffer = "";
  let ended = false;
  let comments = 0;

  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: ServerSentEvent = { event: "message", data: "" };
          let hasField = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) {
              comments += 1;
              continue;
            }
            const [field, ...rest] = line.split(":");
            const value = rest.join(":").replace(/^ /, "");
            if (field === "id") event.id = value;
            else if (field === "event") event.event = value;
            else if (field === "data") event.data = event.data ? `${event.data}\n${value}` : value;
            else continue;
            hasField = true;
          }
          if (hasField && (event.data || event.event !== "message")) queue.push(event);
        }
        wake();
      }
    } catch {
      // The stream was cancelled: treated as its end.
    } finally {
      ended = true;
      wake();
    }
  })();

  return {
    /**
     * The next event (skipping `ready` unless asked for; only of `type` when given), or null when none
     * comes within `timeoutMs` or the stream ends. Events skipped over are dropped.
     */
    async next(
      timeoutMs = 2_000,
      { includeReady = false, type }: { includeReady?: boolean; type?: string } = {},
    ): Promise<ServerSentEvent | null> {
      const deadline = Date.now() + timeoutMs;
      const wanted = (event: ServerSentEvent) =>
        type ? event.event === type : includeReady || event.event !== "ready";
      for (;;) {
        const index = queue.findIndex(wanted);
        if (index !== -1) {
          queue.splice(0, index);
          return queue.shift()!;
        }
        queue.length = 0;
        const left = deadline - Date.now();
        if (ended || left <= 0) return null;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    get ended() {
      return ended;
    },
    get comments() {
      return comments;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
