/**
 * Setup file of the mutation suite (vitest.mutation.config.mts), after StrykerJS's own: in the
 * dry run, code that a file's `beforeAll` runs (most suites synthesise a stack there, then assert
 * in many small tests) is charged to that file's tests instead of to "static" coverage.
 *
 * StrykerJS charges to a test only what runs between its beforeEach and afterEach; the rest is
 * "static", and a mutant there is run against every test (the whole related suite) on every
 * mutant: with this suite's synthesis in hooks that was 94 % of policies/ mutants, days of CPU.
 * Each test file runs in its own process (forks, isolated) and its hooks run whenever any of its
 * tests runs, so charging hook-time code to the file's tests is exact. What runs while the file
 * is imported stays static: StrykerJS activates a runtime mutant in a beforeAll, after imports.
 */
import { afterAll, beforeAll, inject } from "vitest";

interface Coverage {
  static: Record<string, number>;
  perTest: Record<string, Record<string, number>>;
}
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
  ? ((globalThis as Record<string, unknown>)[namespace] as { mutantCoverage?: Coverage })
  : undefined;

let atImport: Record<string, number> = {};

// StrykerJS's test id (its stryker-setup.js): the file path, '#', the names from the top.
function testId(test: Task): string {
  const names = [test.name];
  for (let s = test.suite; s; s = s.suite) names.unshift(s.name);
  return `${test.file?.filepath ?? "unknown.js"}#${names.join(" ").trim()}`;
}

function tests(task: Task): Task[] {
  return (task.tasks ?? []).flatMap((t) => (t.type === "test" ? [t] : tests(t)));
}

if (ns && provided("mode") === "dry-run") {
  beforeAll(() => {
    atImport = { ...(ns.mutantCoverage?.static ?? {}) };
  });
  afterAll(({}, suite) => {
    const coverage = ns.mutantCoverage;
    if (!coverage) return;
    const ids = tests(suite as unknown as Task)
      .filter((t) => t.mode === "run")
      .map(testId);
    for (const [mutant, hits] of Object.entries(coverage.static)) {
      const inHooks = hits - (atImport[mutant] ?? 0);
      if (inHooks <= 0) continue;
      for (const id of ids) {
        const perTest = (coverage.perTest[id] ??= {});
        perTest[mutant] = (perTest[mutant] ?? 0) + inHooks;
      }
      if (atImport[mutant]) coverage.static[mutant] = atImport[mutant];
      else delete coverage.static[mutant];
    }
  });
}
