import { BaseSequencer, type TestSpecification } from "vitest/node";
import { activeMutant, killLedger } from "./mutation-kills.js";

/**
 * Test-file order of the mutation suite (vitest.mutation.config.mts): first the files that killed
 * the most mutants of the active mutant's source file so far in this run (mutation-kills.ts),
 * then the files that failed in their last run, then the fastest, by the durations vitest's
 * cache held when a file was first sorted.
 *
 * StrykerJS runs a mutant's covering tests with `bail: 1` and one worker, so the first failing
 * file ends the run. vitest's own order puts the slowest files first (good for parallel runs,
 * the worst case here): a mutant that a 0.1 s unit test kills waited on whole-stack syntheses
 * first. Mutants come in source order, so the file that killed the last one (vitest's cache
 * marks it failed) most likely kills the next. A duration is read once, so files cut short by
 * a bail do not reorder the rest of the run; files with no recorded duration go last.
 */
const durations = new Map<string, number>();

export default class FastFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const mutant = activeMutant(this.ctx.getProvidedContext() as Record<string, unknown>);
    const ledger = killLedger(this.ctx.config.root);
    const kills = (spec: TestSpecification) =>
      mutant === undefined ? 0 : ledger.killsFor(mutant, spec.moduleId);
    const rank = (spec: TestSpecification) => (this.recorded(spec)?.failed ? 0 : 1);
    return [...files].sort(
      (a, b) => kills(b) - kills(a) || rank(a) - rank(b) || this.duration(a) - this.duration(b),
    );
  }

  private recorded(spec: TestSpecification) {
    const file = spec.moduleId.slice(this.ctx.config.root.length + 1);
    return this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
  }

  private duration(spec: TestSpecification): number {
    let known = durations.get(spec.moduleId);
    if (known === undefined) {
      known = this.recorded(spec)?.duration ?? Number.POSITIVE_INFINITY;
      durations.set(spec.moduleId, known);
    }
    return known;
  }
}
