/**
 * `npm run bench [-- <plan|redis>...] [-- --runs N]`: benchmarks, never timed assertions in tests.
 * Each benchmark prints its figures; the README quotes them with this command.
 */
import { REPO_ROOT } from "./paths";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

export interface Stats {
  min: number;
  median: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The offline plan of both stacks, end to end as `npm run plan` runs it (process start included). */
function benchPlan(runs: number): void {
  const out = mkdtempSync(path.join(tmpdir(), "vega-bench-"));
  try {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      execFileSync(
        path.join(REPO_ROOT, "node_modules/.bin/tsx"),
        [path.join(REPO_ROOT, "tools/plan.ts"), "--out", out],
        { cwd: REPO_ROOT, stdio: "ignore" },
      );
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const s = stats(samples);
    console.log(
      `plan (primary + dr, ${runs} runs): min ${fmt(s.min)}, median ${fmt(s.median)}, max ${fmt(s.max)} (target < 5 s)`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The live Redis failover drill (its own script, async and engine-bound): see components/redis/README.md. */
function benchRedis(runs: number): void {
  execFileSync(
    path.join(REPO_ROOT, "node_modules/.bin/tsx"),
    [path.join(REPO_ROOT, "tools/bench-redis-failover.ts"), String(runs)],
    { cwd: REPO_ROOT, stdio: "inherit" },
  );
}

/** The logical backup's verification cost (its own script, async and engine-bound): components/postgres/README.md. */
function benchPostgres(runs: number): void {
  execFileSync(
    path.join(REPO_ROOT, "node_modules/.bin/tsx"),
    [path.join(REPO_ROOT, "tools/bench-postgres-backup.ts"), String(runs)],
    { cwd: REPO_ROOT, stdio: "inherit" },
  );
}

const BENCHES: Record<string, (runs: number) => void> = {
  plan: benchPlan,
  redis: benchRedis,
  postgres: benchPostgres,
};

function main(): void {
  const { values, positionals } = parseArgs({
    options: { runs: { type: "string", default: "5" } },
    allowPositionals: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a whole number >= 1, got ${values.runs}`);
  const names = positionals.length > 0 ? positionals : Object.keys(BENCHES);
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench)
      throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(", ")}`);
    bench(runs);
  }
}

if (require.main === module) main();
