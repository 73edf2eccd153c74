/**
 * The mutation suite's synthesis cache (synthesis-cache.ts): an entry is reused only for the same
 * program, job and — when the program holds it — mutant; the normal suite always synthesises.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cachedSynthesis, synthesisKey } from "./synthesis-cache";

const root = mkdtempSync(path.join(tmpdir(), "vega-synth-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
// An instrumented sandbox: mutant 1 in config/, 2 in components/, 3 in policies/ (not loaded).
write("index.ts", "import './config';");
write("Pulumi.primary.yaml", "config: {}");
write("config/a.ts", 'stryMutAct_9fa48("1") ? 1 : 2;');
write("components/edge/b.ts", 'stryMutAct_9fa48("2") ? 1 : 2;');
write("tools/synth/c.ts", "export {};");
write("policies/p.ts", 'stryMutAct_9fa48("3") ? 1 : 2;');
const job = { stack: "primary" };

describe("the synthesis cache key", () => {
  it("ignores a mutant the program does not hold (a policy mutant reuses the dry run's stacks)", () => {
    expect(synthesisKey(root, job, "3")).toBe(synthesisKey(root, job, undefined));
  });

  it("is the mutant's own for a mutant in config/ or components/", () => {
    const none = synthesisKey(root, job, undefined);
    const keys = new Set([none, synthesisKey(root, job, "1"), synthesisKey(root, job, "2")]);
    expect(keys.size).toBe(3);
  });

  it("changes with the job and with any program file, not with a policy file", () => {
    const before = synthesisKey(root, job, undefined);
    expect(synthesisKey(root, { stack: "dr" }, undefined)).not.toBe(before);
    write("policies/p.ts", 'stryMutAct_9fa48("3") ? 1 : 3;');
    expect(synthesisKey(root, job, undefined)).toBe(before);
    for (const file of ["tools/synth/c.ts", "Pulumi.primary.yaml", "index.ts"]) {
      const key = synthesisKey(root, job, undefined);
      write(file, `// changed\n`);
      expect(synthesisKey(root, job, undefined), file).not.toBe(key);
    }
  });
});

describe("a cached synthesis", () => {
  it("synthesises once per key when enabled, and every time when not", async () => {
    let runs = 0;
    const synthesise = async () => ({ resources: [{ urn: `run ${++runs}` }] });
    const on = { enabled: true, root, job: { stack: "cached" }, mutant: undefined };
    const first = await cachedSynthesis(on, synthesise);
    expect(await cachedSynthesis(on, synthesise)).toEqual(first);
    expect(await cachedSynthesis({ ...on, mutant: "1" }, synthesise)).toEqual({
      resources: [{ urn: "run 2" }],
    });
    await cachedSynthesis({ ...on, enabled: false }, synthesise);
    await cachedSynthesis({ ...on, enabled: false }, synthesise);
    expect(runs).toBe(4);
  });
});
