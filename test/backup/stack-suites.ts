/**
 * Stateful resources keep their identity across the move of the log bucket to the edge and of
 * the replication alarms into the link: every S3, KMS, IAM and CloudWatch URN of the program
 * before the move (fixtures/aws-urns-before-move.json, computed with tools/plan/urns.ts from
 * `npm run plan` at main df2042a) is still answered to, by the same URN or by an alias, so a
 * real stack moves them in state and replaces nothing (buckets are protected and would fail).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lostUrns, resourceIdentities } from "../../tools/plan/urns";
import type { Synth } from "../harness";

const before = JSON.parse(
  readFileSync(path.join(__dirname, "../stack/fixtures/aws-urns-before-move.json"), "utf8"),
) as Record<"primary" | "dr", string[]>;

export function describeStatefulUrnsKept(stack: "primary" | "dr", get: () => Synth): void {
  let s: Synth;
  beforeAll(() => {
    s = get();
  });
  describe(`${stack} stack: buckets, keys, replication and alarms keep their URNs`, () => {
    it("answers to every S3, KMS, IAM and CloudWatch URN it had before the move", () => {
      expect(before[stack].length).toBeGreaterThan(10);
      expect(lostUrns(before[stack], s.resources)).toEqual([]);
    });

    it("keeps the vault's URNs unchanged, and reaches the moved log bucket only through aliases", () => {
      const { urnOf } = resourceIdentities(s.resources);
      const current = new Set(s.resources.map((r) => urnOf(r.urn)));
      const vault = before[stack].filter((u) => /BackupVault\$aws:/.test(u));
      expect(vault.length).toBeGreaterThan(5);
      for (const urn of vault) expect(current.has(urn)).toBe(true);
      const moved = before[stack].filter((u) => u.includes("vega:backup:LoadBalancerLogBucket$"));
      expect(moved.length).toBe(7);
      for (const urn of moved) expect(current.has(urn)).toBe(false);
      // The check has teeth: without the aliases, the moved log bucket would be replaced.
      const unaliased = s.resources.map(({ aliases: _aliases, ...r }) => r);
      expect(lostUrns(before[stack], unaliased)).toEqual(expect.arrayContaining(moved));
    });
  });
}
