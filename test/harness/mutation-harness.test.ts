/**
 * The mutation suite's coverage charging (mutation-coverage.ts, used by mutation-setup.ts) and its
 * test-file order (fast-first-sequencer.mts): what decides which tests a mutant runs against,
 * and in which order StrykerJS's bail-on-first-failure meets them.
 */
import { describe, expect, it } from "vitest";
import type { TestSpecification } from "vitest/node" with { "resolution-mode": "import" };
import { chargeFileCoverage, type MutantCoverage } from "./mutation-coverage";

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
    return new FastFirstSequencer({ config: { root }, cache } as never);
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
