/** Reads a UI message stream response (SSE of JSON chunks) as the browser's hook would, noting when each chunk arrived. */
export async function readUiStream(response: Response) {
  const chunks: { at: number; chunk: Record<string, unknown> }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      if (data && data !== "[DONE]") chunks.push({ at: Date.now(), chunk: JSON.parse(data) });
    }
  }
  const drafts = chunks.filter(({ chunk }) => chunk.type === "data-draft").map(({ chunk }) => chunk.data);
  const errors = chunks.filter(({ chunk }) => chunk.type === "error").map(({ chunk }) => chunk.errorText);
  return { chunks, drafts, errors, lastDraft: drafts.at(-1) };
}
