/**
 * Every rule proven on the real stacks by mutation (policies/mutation.ts): start from the
 * synthesised primary, DR and promoted-DR stacks, which pass every mandatory rule; apply each
 * declared mutation alone; the mutation is caught when its rule newly reports and no other rule
 * does (but the ones it declares in alsoReportedBy). Prints caught/injected per rule and in
 * total; 100 % is the bar, and a rule without a mutation fails.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../components/core/plan";
import { resolvePolicyConfig } from "../../policies/config";
import type { PolicyMutation } from "../../policies/mutation";
import { ALL_MUTATIONS } from "../../policies/mutations";
import { ALL_POLICIES } from "../../policies/rules";
import { blocking, runPolicies, type PolicyViolation } from "../../policies/runner";
import { ROOT } from "../harness";
import { STACK_KINDS, synthRealStacks, type StackKind } from "./stacks";

const config = resolvePolicyConfig(
  JSON.parse(readFileSync(path.join(ROOT, "policies/policy-config.json"), "utf8")),
  ALL_POLICIES,
);
const key = (v: PolicyViolation) => `${v.policy}\n${v.urn ?? ""}\n${v.message}`;

let stacks: Record<StackKind, RecordedResource[]>;
const baseline = new Map<StackKind, Set<string>>();

interface Injection {
  mutation: PolicyMutation;
  stack: StackKind;
  /** Rules that newly reported. */
  reporters: string[];
}
const injections: Injection[] = [];

beforeAll(async () => {
  stacks = await synthRealStacks();
  for (const stack of STACK_KINDS) {
    const before = JSON.stringify(stacks[stack]);
    baseline.set(stack, new Set((await runPolicies(stacks[stack], config)).violations.map(key)));
    for (const mutation of ALL_MUTATIONS) {
      const mutated = mutation.apply(stacks[stack]);
      if (!mutated) continue;
      const report = await runPolicies(mutated, config);
      const fresh = report.violations.filter((v) => !baseline.get(stack)!.has(key(v)));
      injections.push({ mutation, stack, reporters: [...new Set(fresh.map((v) => v.policy))] });
    }
    // Mutations are pure: the stack they were applied to is as synthesised.
    if (JSON.stringify(stacks[stack]) !== before)
      throw new Error(`a mutation changed the ${stack} stack it was given`);
  }
}, 300_000);

/** Its rule and the rules it declares (alsoReportedBy) reported it, and no other. */
const caught = (i: Injection) => {
  const expected = new Set(
    [i.mutation.rule, ...(i.mutation.alsoReportedBy ?? [])].map((r) => r.name),
  );
  return i.reporters.length === expected.size && i.reporters.every((name) => expected.has(name));
};

function scoreTable(): string {
  const rows = ALL_POLICIES.map((rule) => {
    const of = injections.filter((i) => i.mutation.rule === rule);
    return `${rule.name.padEnd(40)} ${of.filter(caught).length}/${of.length}`;
  });
  const total = `${injections.filter(caught).length}/${injections.length}`;
  const percent = ((100 * injections.filter(caught).length) / injections.length).toFixed(1);
  return [
    `policy mutation score on ${STACK_KINDS.join(", ")} (caught/injected):`,
    ...rows,
    `${"total".padEnd(40)} ${total} (${percent} %)`,
  ].join("\n");
}

describe("the real stacks before any mutation", () => {
  it.each(STACK_KINDS)("%s passes every mandatory rule", async (stack) => {
    expect(stacks[stack].length).toBeGreaterThan(50);
    expect(blocking(await runPolicies(stacks[stack], config))).toEqual([]);
  });

  it("promoted DR has no replication link, the DR stack has one (the matrix covers both)", () => {
    const links = (stack: StackKind) =>
      stacks[stack].filter(
        (r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      );
    expect(links("dr")).toHaveLength(1);
    expect(links("promoted-dr")).toEqual([]);
  });
});

describe("mutation proof", () => {
  it("every rule of the pack has a mutation, and every mutation a rule of the pack", () => {
    const proven = new Set(ALL_MUTATIONS.map((m) => m.rule));
    expect(ALL_POLICIES.filter((p) => !proven.has(p)).map((p) => p.name)).toEqual([]);
    expect(
      ALL_MUTATIONS.filter((m) => !ALL_POLICIES.includes(m.rule)).map((m) => m.breaks),
    ).toEqual([]);
  });

  it("a declared co-reporter is another rule of the pack", () => {
    for (const m of ALL_MUTATIONS)
      for (const also of m.alsoReportedBy ?? []) {
        expect(ALL_POLICIES, m.breaks).toContain(also);
        expect(also, m.breaks).not.toBe(m.rule);
      }
  });

  it("every mutation applies to at least one of the stacks", () => {
    const applied = new Set(injections.map((i) => i.mutation));
    expect(ALL_MUTATIONS.filter((m) => !applied.has(m)).map((m) => m.breaks)).toEqual([]);
  });

  it("catches every mutation with exactly its rule: 100 %", () => {
    console.log(scoreTable());
    const missed = injections
      .filter((i) => !caught(i))
      .map(
        (i) =>
          `${i.stack}: ${i.mutation.rule.name} / ${i.mutation.breaks}: reported by [${i.reporters.join(", ")}]`,
      );
    expect(missed).toEqual([]);
    expect(injections.length).toBeGreaterThanOrEqual(ALL_MUTATIONS.length);
  });
});
