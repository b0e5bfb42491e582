/**
 * Stand-in for `next/cache` in Vitest: a real (in-memory) tagged data cache, so
 * a test can prove that a mutation invalidates what a page reads, not merely
 * that some function was called.
 */
const entries = new Map<string, { value: unknown; tags: string[] }>();
export const revalidatedPaths: string[] = [];

function expireTag(tag: string) {
  for (const [key, entry] of entries) if (entry.tags.includes(tag)) entries.delete(key);
}

export function unstable_cache<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  keyParts: string[] = [],
  options: { tags?: string[] } = {},
) {
  return async (...args: A): Promise<R> => {
    const key = JSON.stringify([fn.toString(), keyParts, args]);
    const hit = entries.get(key);
    if (hit) return hit.value as R;
    const value = await fn(...args);
    entries.set(key, { value, tags: options.tags ?? [] });
    return value;
  };
}

export const updateTag = (tag: string) => expireTag(tag);
export const revalidateTag = (tag: string) => expireTag(tag);
export const revalidatePath = (path: string) => {
  revalidatedPaths.push(path);
};
