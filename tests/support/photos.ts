import { crc32, deflateSync } from "node:zlib";

/** Small real image files, and files that only pretend to be images, for the upload tests. */

function chunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG (any browser decodes it) of one colour: `[r, g, b]`, `size`×`size` pixels. */
export function solidPng(size: number, [r, g, b]: [number, number, number]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export const PNG_1PX = solidPng(1, [200, 80, 40]);

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
