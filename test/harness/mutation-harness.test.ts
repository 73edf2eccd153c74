/**
 * The mutation suite's coverage charging (mutation-coverage.ts, used by mutation-setup.ts) and its
 * test-file order (fast-first-sequencer.mts): what decides which tests a mutant runs against,
 * and in which order StrykerJS's bail-on-first-failure meets them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TestSpecification } from "vitest/node" with { "resolution-mode": "import" };
import { chargeFileCoverage, type MutantCoverage } from "./mutation-coverage";
import { indexMutants } from "./mutation-kills";
import MutationReporter from "./mutation-reporter";

describe("charging a test file's import and hook coverage to its tests", () => {
  it("moves what the file reached from static to each of its tests, adding to their own hits", () => {
    const coverage: MutantCoverage = {
      static: { "1": 3, "2": 5 },
      perTest: { "f.test.ts#a": { "1": 1 } },
    };
    chargeFileCoverage(coverage, { "2": 5 }, ["f.test.ts#a", "f.test.ts#b"]);
    expect(coverage).toEqual({
      static: { "2": 5 },
      perTest: { "f.test.ts#a": { "1": 4 }, "f.test.ts#b": { "1": 3 } },
    });
  });

  it("leaves static the hits from before the file, charging only the file's own", () => {
    const coverage: MutantCoverage = { static: { "7": 6 }, perTest: {} };
    chargeFileCoverage(coverage, { "7": 2 }, ["g.test.ts#only"]);
    expect(coverage).toEqual({ static: { "7": 2 }, perTest: { "g.test.ts#only": { "7": 4 } } });
  });

  it("keeps everything static when the file ran no test (nothing else would run the mutant)", () => {
    const coverage: MutantCoverage = { static: { "3": 1 }, perTest: {} };
    chargeFileCoverage(coverage, {}, []);
    expect(coverage).toEqual({ static: { "3": 1 }, perTest: {} });
  });
});

describe("the fast-first test-file order", () => {
  const root = "/repo";
  const spec = (file: string) =>
    ({ moduleId: `${root}/${file}`, project: { name: "" } }) as unknown as TestSpecification;
  const sequencer = async (recorded: Record<string, number>, failed: string[] = []) => {
    const { default: FastFirstSequencer } = await import("./fast-first-sequencer.mjs");
    const cache = {
      getFileTestResults: (key: string) => {
        const file = key.slice(1);
        return file in recorded
          ? { duration: recorded[file], failed: failed.includes(file) }
          : undefined;
      },
    };
    return new FastFirstSequencer({
      config: { root },
      cache,
      getProvidedContext: () => ({}),
    } as never);
  };
  const order = (specs: TestSpecification[]) => specs.map((s) => s.moduleId.slice(root.length + 1));

  it("runs the fastest recorded file first and files with no record last", async () => {
    const s = await sequencer({ "slow.test.ts": 9000, "fast.test.ts": 40, "mid.test.ts": 700 });
    const files = ["slow.test.ts", "new.test.ts", "fast.test.ts", "mid.test.ts"];
    expect(order(await s.sort(files.map(spec)))).toEqual([
      "fast.test.ts",
      "mid.test.ts",
      "slow.test.ts",
      "new.test.ts",
    ]);
  });

  it("keeps a file's first-read duration, so a run cut short by a bail does not reorder", async () => {
    const recorded: Record<string, number> = { "synth.test.ts": 5000, "unit.test.ts": 100 };
    const s = await sequencer(recorded);
    const files = ["synth.test.ts", "unit.test.ts"].map(spec);
    expect(order(await s.sort(files))).toEqual(["unit.test.ts", "synth.test.ts"]);
    recorded["synth.test.ts"] = 1;
    expect(order(await s.sort(files))).toEqual(["unit.test.ts", "synth.test.ts"]);
  });

  it("runs first the files that failed in their last run: the last mutant's killers", async () => {
    const s = await sequencer({ "a.test.ts": 10, "killer.test.ts": 3000, "b.test.ts": 20 }, [
      "killer.test.ts",
    ]);
    const files = ["a.test.ts", "b.test.ts", "killer.test.ts"].map(spec);
    expect(order(await s.sort(files))).toEqual(["killer.test.ts", "a.test.ts", "b.test.ts"]);
  });
});

describe("the kill ledger: a source file's known killers run first", () => {
  // A sandbox as StrykerJS instruments it: each mutant guarded by stryMutAct_9fa48("<id>").
  const sandbox = mkdtempSync(path.join(tmpdir(), "vega-ledger-"));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));
  const guard = (id: number) => `stryMutAct_9fa48("${id}") ? a : b;`;
  mkdirSync(path.join(sandbox, "config"), { recursive: true });
  mkdirSync(path.join(sandbox, "components/edge"), { recursive: true });
  writeFileSync(path.join(sandbox, "config/postgres.ts"), [guard(1), guard(2)].join("\n"));
  writeFileSync(path.join(sandbox, "components/edge/render.ts"), guard(3));
  writeFileSync(path.join(sandbox, "config/notes.md"), guard(4));
  const at = (file: string) => `${sandbox}/${file}`;

  it("finds each mutant's instrumented source file, in the mutated folders' .ts files only", () => {
    expect(Object.fromEntries(indexMutants(sandbox))).toEqual({
      "1": "config/postgres.ts",
      "2": "config/postgres.ts",
      "3": "components/edge/render.ts",
    });
  });

  it("puts first, for a mutant, the files that killed its source file's mutants", async () => {
    const { default: FastFirstSequencer } = await import("./fast-first-sequencer.mjs");
    const durations: Record<string, number> = {
      [`${sandbox}/fast.test.ts`]: 10,
      [`${sandbox}/killer.test.ts`]: 5000,
      [`${sandbox}/last-failed.test.ts`]: 20,
    };
    let context: Record<string, unknown> = { mode: "mutant", activeMutant: 1 };
    const sequencer = new FastFirstSequencer({
      config: { root: sandbox },
      cache: {
        getFileTestResults: (key: string) => ({
          duration: durations[`${sandbox}/${key.slice(1)}`],
          failed: key.endsWith("last-failed.test.ts"),
        }),
      },
      getProvidedContext: () => context,
    } as never);
    const files = ["fast.test.ts", "killer.test.ts", "last-failed.test.ts"];
    const sorted = async () =>
      (
        await sequencer.sort(
          files.map((f) => ({ moduleId: at(f), project: { name: "" } }) as never),
        )
      ).map((s) => s.moduleId.slice(sandbox.length + 1));
    // Mutant 1 is killed by killer.test.ts, as the reporter sees it at the run's end.
    const reporter = new MutationReporter();
    const killed = { type: "suite", name: "k", filepath: at("killer.test.ts"), tasks: [] };
    reporter.onInit({
      state: { getFiles: () => [{ ...killed, result: { state: "fail" } }] },
      getProvidedContext: () => context,
      config: { root: sandbox },
    } as never);
    reporter.onTestRunEnd();
    // Mutant 2 shares its source file: the killer goes first.
    context = { mode: "mutant", activeMutant: 2 };
    expect(await sorted()).toEqual(["killer.test.ts", "last-failed.test.ts", "fast.test.ts"]);
    // Mutant 3 is another file's: last-failed first, then the fastest.
    context = { mode: "mutant", activeMutant: 3 };
    expect(await sorted()).toEqual(["last-failed.test.ts", "fast.test.ts", "killer.test.ts"]);
    // The dry run has no active mutant, and the ledger is not consulted.
    context = { mode: "dry-run", activeMutant: 2 };
    expect(await sorted()).toEqual(["last-failed.test.ts", "fast.test.ts", "killer.test.ts"]);
  });
});
