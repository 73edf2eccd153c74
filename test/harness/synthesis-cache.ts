/**
 * A cache of whole-stack syntheses for the mutation suite only (vitest.mutation.config.mts sets
 * VEGA_SYNTHESIS_CACHE). The policy tests need the real primary, DR and promoted-DR stacks, three
 * child processes and seconds each; a mutant of policies/ cannot change them (the program never
 * loads the pack), so StrykerJS would synthesise the same stacks again for every policy mutant.
 *
 * The key is the content of everything the program loads (config/, components/, tools/,
 * index.ts, the stack files), plus the active mutant when one of those files holds it: a mutant
 * of config/ or components/ still gets a synthesis of its own, and a changed source never reads
 * a stale entry. The normal suite never reads the cache: it tests the synthesis itself.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** What the program loads (tools/synth records it), by folder and by file. */
const PROGRAM_FOLDERS = ["config", "components", "tools"];
const PROGRAM_FILE = /^(index\.ts|Pulumi(\.[\w-]+)?\.yaml)$/;

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.(ts|json|ya?ml)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The cache key of a synthesis of the program at `root` for `job`, with `mutant` active. */
export function synthesisKey(root: string, job: unknown, mutant: string | undefined): string {
  const hash = createHash("sha256").update(JSON.stringify(job));
  const files = [
    ...readdirSync(root)
      .filter((name) => PROGRAM_FILE.test(name))
      .sort(),
    ...PROGRAM_FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder))),
  ].map((file) => path.resolve(root, file));
  let holdsMutant = false;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    hash.update(`\0${path.relative(root, file)}\0${text}`);
    holdsMutant ||= mutant !== undefined && text.includes(`stryMutAct_9fa48("${mutant}")`);
  }
  if (holdsMutant) hash.update(`\0mutant ${mutant}`);
  return hash.digest("hex").slice(0, 32);
}

/**
 * `synthesise()`'s result, from the cache when `enabled` and an entry for this program, job and
 * mutant exists; else computed and stored (written whole, then renamed: runners share the folder).
 */
export async function cachedSynthesis<T>(
  options: { enabled: boolean; root: string; job: unknown; mutant: string | undefined },
  synthesise: () => Promise<T>,
): Promise<T> {
  if (!options.enabled) return synthesise();
  const dir = path.join(options.root, ".vitest-tmp", "synthesis-cache");
  const file = path.join(dir, `${synthesisKey(options.root, options.job, options.mutant)}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    const result = await synthesise();
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(result));
    renameSync(partial, file);
    return result;
  }
}
