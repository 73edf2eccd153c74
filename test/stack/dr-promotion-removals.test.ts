/**
 * Seed 16.3 region_failover: promoting DR (`promoted: true`) must not call the failed primary
 * region, nor IAM's or Route 53's global control plane. Both DR plans (the real Pulumi.dr.yaml,
 * and the same with the promotion override) are synthesised the way `npm run plan` does, each
 * in its own worker fed with one synthesis of the primary, and diffed: every resource promotion removes must be retained or in DR.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { PlanFile } from "../../tools/plan/protocol";
import { removedResources, unsafeRemoval, unsafeRemovals } from "../../tools/plan/removals";
import { synthesiseDrVariants } from "../../tools/plan/run";
import { ROOT, stackConfig } from "../harness";

const tmp = mkdtempSync(path.join(tmpdir(), "vega-promotion-"));
const dr = stackConfig("dr");

/** The repository's stack files, the DR one promoted. */
function promotedStackDir(): string {
  for (const f of ["Pulumi.yaml", "Pulumi.primary.yaml", "Pulumi.dr.yaml"])
    copyFileSync(path.join(ROOT, f), path.join(tmp, f));
  const file = path.join(tmp, "Pulumi.dr.yaml");
  const doc = parse(readFileSync(file, "utf8"));
  doc.config["vega-ha:promoted"] = true;
  writeFileSync(file, stringify(doc));
  return tmp;
}

let following: PlanFile;
let promoted: PlanFile;
beforeAll(async () => {
  mkdirSync(tmp, { recursive: true });
  const plans = await synthesiseDrVariants([ROOT, promotedStackDir()]);
  [following, promoted] = plans.map((p) => JSON.parse(p.files["plan.json"]!) as PlanFile) as [
    PlanFile,
    PlanFile,
  ];
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("promoting the DR stack", () => {
  it("is the real DR stack file, promoted only by the override", () => {
    expect(dr.promoted).toBe(false);
    expect(promoted.outputs.role).toBe("dr");
    expect(promoted.region).toBe(following.region);
  });

  it("removes the cross-region link: role, policy, replication config and source-region alarms", () => {
    const removed = removedResources(following.resources, promoted.resources);
    const lines = removed.map((r) => `${r.type} ${r.name} ${r.region ?? "-"}`);
    expect(removed.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "vega:backup:BackupReplication",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
      ]),
    );
    // The list is printed so a reviewer sees exactly what promotion drops.
    console.log(`promotion removes ${removed.length} resources:\n  ${lines.join("\n  ")}`);
  });

  it("deletes nothing outside the DR region or through a global control plane unless retained", () => {
    expect(unsafeRemovals(following.resources, promoted.resources, dr.region)).toEqual([]);
  });

  it("the check has teeth: the same removals without retainOnDelete are refused, each named", () => {
    const removed = removedResources(following.resources, promoted.resources);
    const unretained = removed.map((r) => ({ ...r, retainOnDelete: false }));
    const problems = unretained
      .map((r) => unsafeRemoval(r, dr.region))
      .filter((p) => p !== undefined);
    expect(problems.some((p) => /iam\/role:Role\) is deleted through iam's global/.test(p!))).toBe(
      true,
    );
    expect(problems.some((p) => /BucketReplicationConfig\) is deleted in us-east-1/.test(p!))).toBe(
      true,
    );
  });
});
