/**
 * Stand-in for `next/cache` in Vitest: records which paths a mutation expired,
 * so a test can check that a write expires the pages that show it (`/` for the
 * published list, `/dashboard` for the author's own).
 */
export const revalidatedPaths: string[] = [];

export const revalidatePath = (path: string) => {
  revalidatedPaths.push(path);
};
