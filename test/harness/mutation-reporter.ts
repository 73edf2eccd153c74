/**
 * Reporter for the mutation suite (vitest.mutation.config.mts): makes a failing file count as a
 * failure for StrykerJS.
 *
 * With vitest 4, when a file's top-level `beforeAll` throws, its tests end `skip` and only the
 * file carries the error; when a file fails to import, it has no test at all. StrykerJS's vitest
 * runner (9.x) reads test states only (it looks for a failed hook in enclosing `describe`s, not
 * in the file), so a mutant that breaks a synthesis in a `beforeAll`, or a module's import, would
 * be reported as survived. This marks those skipped tests failed with the file's error, and gives
 * a file that collected nothing one failed stand-in test. It runs in the main process at the end
 * of each run, before StrykerJS reads the results from the same state. It also tells the kill
 * ledger which files killed the active mutant (the sequencer runs them first for its neighbours).
 */
import type { Reporter, Vitest } from "vitest/node" with { "resolution-mode": "import" };
import { activeMutant, killLedger } from "./mutation-kills";

type Task = {
  type: string;
  filepath?: string;
  name: string;
  mode: string;
  tasks?: Task[];
  result?: { state?: string; errors?: unknown[] };
};

function tests(task: Task): Task[] {
  return (task.tasks ?? []).flatMap((t) => (t.type === "test" ? [t] : tests(t)));
}

export default class MutationReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    const files = (this.vitest?.state.getFiles() ?? []) as unknown as Task[];
    const failed = files.filter((file) => file.result?.state === "fail");
    const mutant = this.vitest && activeMutant(this.vitest.getProvidedContext() as never);
    if (mutant !== undefined && this.vitest)
      killLedger(this.vitest.config.root).record(
        mutant,
        failed.flatMap((file) => (file.filepath ? [file.filepath] : [])),
      );
    for (const file of failed) {
      const errors = file.result?.errors ?? [{ message: "file failed" }];
      const inFile = tests(file);
      for (const test of inFile) {
        // The hook's failure set these tests' mode to "skip" too: every skipped test of a failed
        // file is marked, which can only turn a run that vitest calls failed into a kill.
        if (test.result?.state === "skip") {
          test.mode = "run"; // Stryker reads mode "skip" as skipped before it looks at the state
          test.result = { ...test.result, state: "fail", errors };
        }
      }
      if (inFile.length === 0) {
        (file.tasks ??= []).push({
          type: "test",
          name: "(file failed to load)",
          mode: "run",
          result: { state: "fail", errors },
          ...{ file, suite: undefined },
        } as Task);
      }
    }
  }
}
