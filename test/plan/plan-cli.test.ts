/** The offline plan end to end, as a new user runs it: `tsx tools/plan.ts`, one process per stack. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { PlanFile } from "../../tools/plan/protocol";
import { REDACTED } from "../harness";
import { planCli as plan, stackFilesIn } from "./cli";

const tmp = mkdtempSync(path.join(tmpdir(), "vega-plan-"));

/** A copy of the stack files, with `edit` applied to one stack's config. */
function stackDir(
  name: string,
  stack: "primary" | "dr",
  edit: (config: Record<string, any>) => void,
): string {
  return stackFilesIn(path.join(tmp, name), {
    [stack]: (text: string) => {
      const doc = parse(text);
      edit(doc.config);
      return stringify(doc);
    },
  });
}

const readPlan = (out: string, stack: string) =>
  JSON.parse(readFileSync(path.join(out, stack, "plan.json"), "utf8")) as PlanFile;

let first: { code: number; stdout: string; stderr: string };
const out = path.join(tmp, "out");

beforeAll(async () => {
  first = await plan(["--out", out]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("npm run plan", () => {
  it("plans both stacks, prints the trees and writes plan.json and summary.md for each", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^primary \(us-east-1\): \d+ resources/m);
    expect(first.stdout).toMatch(/^dr \(us-west-2\): \d+ resources/m);
    expect(first.stdout).toContain("vega:backup:BackupVault");
    for (const stack of ["primary", "dr"]) {
      expect(existsSync(path.join(out, stack, "plan.json"))).toBe(true);
      expect(readFileSync(path.join(out, stack, "summary.md"), "utf8")).toMatch(
        /```mermaid\nflowchart LR/,
      );
    }
  });

  it("feeds the DR stack the primary's real outputs: the replication link targets the primary's bucket in its region", () => {
    const primary = readPlan(out, "primary");
    const dr = readPlan(out, "dr");
    const link = dr.resources.find(
      (r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    )!;
    expect(link.inputs.bucket).toBe((primary.outputs.backup as { bucketName: string }).bucketName);
    expect(link.region).toBe(primary.region);
  });

  it("keeps the primary free of DR resources and of other regions", () => {
    const primary = readPlan(out, "primary");
    expect(primary.resources.filter((r) => r.region && r.region !== primary.region)).toEqual([]);
    expect(primary.resources.some((r) => r.type === "pulumi:pulumi:StackReference")).toBe(false);
    expect(
      primary.resources.some(
        (r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      ),
    ).toBe(false);
  });

  it("records every resource with type, name, parent, region and inputs, and redacts secrets", () => {
    const dr = readPlan(out, "dr");
    for (const r of dr.resources.filter((x) => x.type !== "pulumi:pulumi:Stack")) {
      expect(r.parent, r.name).toBeTruthy();
      expect(typeof r.inputs).toBe("object");
    }
    const k8s = dr.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(k8s.inputs.kubeconfig).toBe(REDACTED);
    expect(JSON.stringify(dr)).not.toContain("get-token");
    // The unpacked inputs the policy run gets stay in the worker.
    expect(JSON.stringify(dr)).not.toContain("plainInputs");
  });

  it("passes the policy pack on both stacks", () => {
    for (const stack of ["primary", "dr"])
      expect(readPlan(out, stack).policy.violations).toEqual([]);
  });

  it("diffs against an earlier plan: changed fields are listed", async () => {
    const dir = stackDir("longer-retention", "primary", (c) => {
      c["vega-ha:backup"].retention.metadataDailyDays = 45;
    });
    const later = path.join(tmp, "out-later");
    const result = await plan([
      "--stack",
      "primary",
      "--stack-dir",
      dir,
      "--out",
      later,
      "--diff",
      path.join(out, "primary", "plan.json"),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("diff for primary: 0 added, 0 removed, 1 changed");
    expect(result.stdout).toMatch(
      /~ aws:s3\/bucketLifecycleConfiguration:BucketLifecycleConfiguration \S+lifecycle\n\s+rules\[0\]\.expiration\.days: 30 -> 45/,
    );
    expect(readFileSync(path.join(later, "primary", "summary.md"), "utf8")).toContain(
      "### Changes against the earlier plan",
    );
    expect(existsSync(path.join(later, "dr"))).toBe(false);
  });

  it("refuses a bad config with its key, exits non-zero and writes nothing", async () => {
    const dir = stackDir("typo", "dr", (c) => {
      c["vega-ha:backup"].replication.deleteMarkerReplicaton = true;
    });
    const target = path.join(tmp, "out-bad");
    const result = await plan(["--stack-dir", dir, "--out", target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "vega-ha:backup.replication.deleteMarkerReplicaton: unknown key",
    );
    expect(existsSync(target)).toBe(false);
  });
});
