/**
 * Setup file of the mutation suite (vitest.mutation.config.mts), after StrykerJS's own. It charges
 * every mutant a test file's process reaches to that file's tests, and activates a mutant before
 * the file's imports, so that code run at import (zod schemas, rule definitions, default tables)
 * is tested against the files that import it instead of against the whole suite.
 *
 * StrykerJS charges to a test only what runs between its beforeEach and afterEach; the rest is
 * "static", and a static mutant is run against every test of the suite, with a reload. In this
 * suite that was most mutants (88 % of config/edge.ts: schemas built at import; the syntheses in
 * `beforeAll`s), each a run of the whole suite: weeks of CPU. But vitest runs each test file in a
 * fresh process (forks, isolated) that imports the code anew and runs its hooks whenever any of
 * its tests runs, so what a file's imports and hooks reach is exactly what its tests can see:
 * - dry run: the coverage recorded between this file's setup and its end that StrykerJS left
 *   static is charged to each of the file's tests instead;
 * - mutant run: the mutant is active from here on, before the test file's imports (StrykerJS
 *   activates a "runtime" mutant in a `beforeAll`, after them, too late for import-time code),
 *   and in the child processes the file starts (their own coverage is not seen: a mutant only a
 *   child reaches is charged to the file only when the file's own imports reach it too).
 */
import { afterAll, inject } from "vitest";
import { chargeFileCoverage, type MutantCoverage } from "./mutation-coverage";

interface Task {
  type: string;
  name: string;
  mode?: string;
  suite?: Task;
  file?: { filepath?: string };
  tasks?: Task[];
}

// Values StrykerJS provides to its own setup file (undefined outside a Stryker run).
const provided = (key: string) => inject(key as never) as unknown;
const namespace = provided("globalNamespace") as string | undefined;
const ns = namespace
  ? ((globalThis as Record<string, unknown>)[namespace] as {
      mutantCoverage?: MutantCoverage;
      activeMutant?: unknown;
    })
  : undefined;

// Fresh process per file: nothing of the project has run yet, but count from here regardless.
const before: Record<string, number> = { ...(ns?.mutantCoverage?.static ?? {}) };

// StrykerJS's test id (its stryker-setup.js): the file path, '#', the names from the top.
function testId(test: Task): string {
  const names = [test.name];
  for (let s = test.suite; s; s = s.suite) names.unshift(s.name);
  return `${test.file?.filepath ?? "unknown.js"}#${names.join(" ").trim()}`;
}

function tests(task: Task): Task[] {
  return (task.tasks ?? []).flatMap((t) => (t.type === "test" ? [t] : tests(t)));
}

if (ns && provided("mode") === "mutant") {
  ns.activeMutant = provided("activeMutant");
  // The instrumented code of a child process (a stack synthesised in a fork, the plan CLI, the
  // policy pack under the engine's loader) takes its active mutant from this variable.
  process.env.__STRYKER_ACTIVE_MUTANT__ = String(ns.activeMutant);
}

if (ns && provided("mode") === "dry-run") {
  afterAll(({}, suite) => {
    const coverage = ns.mutantCoverage;
    if (!coverage) return;
    const ids = tests(suite as unknown as Task)
      .filter((t) => t.mode === "run")
      .map(testId);
    chargeFileCoverage(coverage, before, ids);
  });
}
