/**
 * StrykerJS's coverage record (its instrumenter's `mutantCoverage`): hits per mutant id, "static"
 * for what ran outside any test, per test id for what ran inside one.
 */
export interface MutantCoverage {
  static: Record<string, number>;
  perTest: Record<string, Record<string, number>>;
}

/**
 * Charges to each of a test file's tests the static hits recorded since `before` (the counts at
 * the file's setup): what the file's imports and hooks reached, which every one of its tests
 * depends on. Hits from before the file stay static. Changes `coverage` in place.
 */
export function chargeFileCoverage(
  coverage: MutantCoverage,
  before: Record<string, number>,
  testIds: string[],
): void {
  if (testIds.length === 0) return;
  for (const [mutant, hits] of Object.entries(coverage.static)) {
    const inFile = hits - (before[mutant] ?? 0);
    if (inFile <= 0) continue;
    for (const id of testIds) {
      const perTest = (coverage.perTest[id] ??= {});
      perTest[mutant] = (perTest[mutant] ?? 0) + inFile;
    }
    if (before[mutant]) coverage.static[mutant] = before[mutant];
    else delete coverage.static[mutant];
  }
}
