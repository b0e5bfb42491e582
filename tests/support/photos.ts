/** Small real image files, and files that only pretend to be images, for the upload tests. */

// A 1×1 PNG (a real one: signature, IHDR, IDAT, IEND).
export const PNG_1PX = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** A PNG signature and header followed by padding: a valid start, `bytes` long. */
export function pngOfSize(bytes: number) {
  const file = Buffer.alloc(bytes);
  PNG_1PX.copy(file);
  return file;
}

export const TEXT_RENAMED_PNG = Buffer.from("just some notes, not a picture\n".repeat(20));

export const MiB = 1024 * 1024;

/**
 * Posts a file to a presigned POST the way a browser form does: multipart,
 * every signed field first and the file last, the boundary chosen by fetch.
 * `fieldOverrides` lets a test tamper with the signed fields.
 */
export async function postToBucket(
  presigned: { url: string; fields: Record<string, string> },
  file: Buffer,
  {
    filename = "photo.png",
    type = presigned.fields["Content-Type"] ?? "image/png",
    fieldOverrides = {} as Record<string, string>,
  } = {},
): Promise<{ status: number; body: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...presigned.fields, ...fieldOverrides })) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(file)], { type }), filename);
  const response = await fetch(presigned.url, { method: "POST", body: form, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: await response.text() };
}
