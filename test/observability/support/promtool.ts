/**
 * Runs Debian's promtool on files in a temporary directory that is always removed. Without
 * promtool the checks skip visibly, except with CI=true, where its absence is a failure.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export interface PromtoolRun {
  code: number;
  output: string;
}

function locate(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
  const bin = found.stdout.trim();
  return found.status === 0 && bin ? bin : undefined;
}

export const PROMTOOL = locate();
export { IN_CI } from "../../harness/engines";
import { IN_CI, PROMTOOL_OFF } from "../../harness/engines";

/** True when the promtool tests must be skipped (announced once on stderr). */
export function skipWithoutPromtool(): boolean {
  if (PROMTOOL_OFF) return true;
  if (PROMTOOL || IN_CI) return false;
  console.warn(
    "SKIPPED promtool checks: promtool is not installed (apt-get install prometheus); with CI=true this fails instead",
  );
  return true;
}

/** The promtool binary, or a clear failure (in CI, or when a test runs without the skip guard). */
export function promtool(): string {
  if (!PROMTOOL)
    throw new Error(
      "promtool not found on PATH: install Debian's prometheus package (CI requires it)",
    );
  return PROMTOOL;
}

/** Writes `files` into a fresh temp dir, runs promtool with `args` there, removes the dir. */
export function runPromtool(files: Record<string, string>, args: string[]): PromtoolRun {
  const bin = promtool();
  const dir = mkdtempSync(path.join(tmpdir(), "vega-promtool-"));
  try {
    for (const [name, content] of Object.entries(files))
      writeFileSync(path.join(dir, name), content);
    const run = spawnSync(bin, args, { cwd: dir, encoding: "utf8", timeout: 60_000 });
    if (run.error) throw run.error;
    return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
