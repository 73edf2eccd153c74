/**
 * Which test files killed the mutants of which source file, learnt during one mutation run, so
 * the sequencer (fast-first-sequencer.mts) puts a source file's known killers first.
 *
 * StrykerJS runs a mutant's covering files with `bail: 1`: the run ends at the first failing
 * file, so the order decides a kill's cost. Most mutants of a module die to the same one or two
 * test files (config/postgres.ts: test/config/postgres.test.ts), but with two runners and the
 * mutants of several files interleaved, "the file that failed last" often belongs to another
 * source file. The ledger lives on globalThis because the reporter that records and the
 * sequencer that reads are loaded by different loaders in the same vitest process.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** StrykerJS's instrumenter guards every mutant with a call of this name and the mutant's id. */
const MUTANT_GUARD = /stryMutAct_9fa48\("(\d+)"\)/g;
/** Where mutated code lives (stryker.config.mjs `mutate`). */
const MUTATED_FOLDERS = ["config", "components", "policies"];

/** The .ts files below `dir`, none when it does not exist. */
function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

/** Mutant id → the instrumented source file under `root` that holds it. */
export function indexMutants(root: string): Map<string, string> {
  const index = new Map<string, string>();
  for (const file of MUTATED_FOLDERS.flatMap((f) => tsFiles(path.join(root, f)))) {
    for (const match of readFileSync(file, "utf8").matchAll(MUTANT_GUARD))
      index.set(match[1]!, path.relative(root, file));
  }
  return index;
}

export class KillLedger {
  private index: Map<string, string> | undefined;
  /** source file → test file → mutants of that source it killed. */
  private readonly kills = new Map<string, Map<string, number>>();

  constructor(private readonly root: string) {}

  /** The source file of a mutant (the sandbox is read once, on first use). */
  sourceOf(mutantId: string): string | undefined {
    this.index ??= indexMutants(this.root);
    return this.index.get(mutantId);
  }

  record(mutantId: string, killers: string[]): void {
    const source = this.sourceOf(mutantId);
    if (source === undefined) return;
    const byTest = this.kills.get(source) ?? new Map<string, number>();
    this.kills.set(source, byTest);
    for (const test of killers) byTest.set(test, (byTest.get(test) ?? 0) + 1);
  }

  /** How many mutants of this mutant's source file `testFile` killed so far. */
  killsFor(mutantId: string, testFile: string): number {
    const source = this.sourceOf(mutantId);
    return (source !== undefined && this.kills.get(source)?.get(testFile)) || 0;
  }
}

const LEDGER = Symbol.for("vega.mutation.kill-ledger");

/** The process's ledger for the sandbox at `root`. */
export function killLedger(root: string): KillLedger {
  const slot = globalThis as unknown as Record<symbol, Map<string, KillLedger> | undefined>;
  const ledgers = (slot[LEDGER] ??= new Map());
  const ledger = ledgers.get(root) ?? new KillLedger(root);
  ledgers.set(root, ledger);
  return ledger;
}

/** The mutant a StrykerJS mutant run has active (`provide`d to vitest), or undefined. */
export function activeMutant(context: Record<string, unknown>): string | undefined {
  const id = context.activeMutant;
  return context.mode === "mutant" && (typeof id === "string" || typeof id === "number")
    ? String(id)
    : undefined;
}
