/**
 * The mutation suite's reporter: a file whose top-level beforeAll threw, or that failed to
 * import, must reach StrykerJS as failed tests (a kill), not as skipped ones (a survivor). Checked
 * with StrykerJS's own conversion of vitest tasks (the vitest runner's helpers).
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import MutationReporter from "./mutation-reporter";
import { ROOT } from "./index";

type Task = Record<string, any>;

function file(name: string, state: string, tasks: Task[]): Task {
  const f: Task = {
    type: "suite",
    name,
    mode: "run",
    filepath: path.join(ROOT, name),
    tasks,
    result: { state, errors: state === "fail" ? [{ message: "beforeAll: boom" }] : [] },
  };
  for (const t of tasks) t.file = f;
  return f;
}
const test = (name: string, state: string, mode = "run"): Task => ({
  type: "test",
  name,
  mode,
  result: { state },
});

async function strykerStatuses(files: Task[]): Promise<Record<string, string>> {
  const reporter = new MutationReporter();
  reporter.onInit({
    state: { getFiles: () => files },
    getProvidedContext: () => ({}),
    config: { root: ROOT },
  } as never);
  reporter.onTestRunEnd();
  // The runner's helpers are not in its package exports: load them by path.
  const entry = createRequire(__filename).resolve("@stryker-mutator/vitest-runner/package.json");
  const helpers = await import(
    pathToFileURL(path.join(path.dirname(entry), "dist/src/vitest-helpers.js")).href
  );
  const api = await import("@stryker-mutator/api/test-runner");
  const names = Object.fromEntries(Object.entries(api.TestStatus).map(([k, v]) => [v, k]));
  return Object.fromEntries(
    files
      .flatMap((f: Task) => helpers.collectTestsFromSuite(f))
      .map((t: Task) => [
        `${t.file.name}#${t.name}`,
        names[helpers.convertTestToTestResult(t).status],
      ]),
  );
}

describe("the mutation reporter", () => {
  it("turns the tests of a file whose top-level beforeAll threw into failures", async () => {
    const statuses = await strykerStatuses([
      file("hook.test.ts", "fail", [test("a", "skip", "skip"), test("b", "skip", "skip")]),
    ]);
    expect(statuses).toEqual({ "hook.test.ts#a": "Failed", "hook.test.ts#b": "Failed" });
  });

  it("gives a file that failed to import a failed stand-in test", async () => {
    const statuses = await strykerStatuses([file("import.test.ts", "fail", [])]);
    expect(Object.values(statuses)).toEqual(["Failed"]);
  });

  it("leaves passing files and deliberately skipped tests alone", async () => {
    const statuses = await strykerStatuses([
      file("ok.test.ts", "pass", [test("a", "pass"), test("b", "skip", "skip")]),
    ]);
    expect(statuses).toEqual({ "ok.test.ts#a": "Success", "ok.test.ts#b": "Skipped" });
  });
});
