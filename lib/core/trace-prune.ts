import fs from "node:fs";
import path from "node:path";

/**
 * Packages no deployed function runs: each is loaded only where it is used (the embedded database,
 * the local S3 server of the tests, the code formatter of the dev tools). next.config.ts leaves them
 * out of every function's trace, and `npm run check:vercel` refuses a build that still carries one.
 */
export const NOT_DEPLOYED_PACKAGES = ["@electric-sql/pglite", "s3rver", "prettier"] as const;

/**
 * Takes packages out of a Next build trace (`*.nft.json`): their files, the links Turbopack requires
 * externals through (`<distDir>/node_modules/<name>-<hash>`), and the packages only they depend on
 * (s3rver's koa, winston, busboy...), while a package something else still needs stays.
 * next.config.ts runs it on instrumentation.ts's trace, to which Next does not apply
 * `outputFileTracingExcludes` although every function carries it.
 */
export function pruneTrace(traceFile: string, projectDir: string, excluded: readonly string[]): number {
  const traced = JSON.parse(fs.readFileSync(traceFile, "utf8")) as { files: string[] };
  const base = path.dirname(traceFile);
  const packageOf = (file: string) => {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/|$)/.exec(
      path.resolve(base, file).replaceAll("\\", "/"),
    );
    if (!match) return undefined;
    // A Turbopack external link: <distDir>/node_modules/<name>-<16 hex digits>.
    return match[1]!.replace(/-[0-9a-f]{16}$/, "");
  };
  const dependencies = (name: string): string[] => {
    try {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(projectDir, "node_modules", name, "package.json"), "utf8"),
      ) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      return Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
    } catch {
      return [];
    }
  };

  const present = new Set(traced.files.map(packageOf).filter((name): name is string => Boolean(name)));
  // What the excluded packages bring: themselves and their dependencies, as far as the trace holds them.
  const brought = new Set<string>();
  const queue = excluded.filter((name) => present.has(name));
  while (queue.length) {
    const name = queue.pop()!;
    if (brought.has(name)) continue;
    brought.add(name);
    for (const dependency of dependencies(name)) if (present.has(dependency)) queue.push(dependency);
  }
  // Kept: every other package, and whatever of `brought` a kept package depends on (to a fixpoint).
  const kept = new Set([...present].filter((name) => !brought.has(name)));
  const keepQueue = [...kept];
  while (keepQueue.length) {
    for (const dependency of dependencies(keepQueue.pop()!)) {
      if (brought.has(dependency) && !excluded.includes(dependency) && !kept.has(dependency)) {
        kept.add(dependency);
        keepQueue.push(dependency);
      }
    }
  }
  const before = traced.files.length;
  traced.files = traced.files.filter((file) => {
    const name = packageOf(file);
    return !name || kept.has(name);
  });
  fs.writeFileSync(traceFile, JSON.stringify(traced));
  return before - traced.files.length;
}
