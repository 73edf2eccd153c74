/**
 * The plan enforces policies/policy-config.json as a preview does: a mandatory violation fails
 * `npm run plan` naming rule, resource and remedy; the same rule set advisory passes with a
 * warning; a config the pack cannot honour is refused before anything is written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statefulProtected } from "../../policies/backup";
import { albDeletionProtected } from "../../policies/edge";
import type { PlanFile } from "../../tools/plan/protocol";
import { ROOT } from "../harness";
import { planCli, stackFilesIn, type CliResult } from "./cli";

const tmp = mkdtempSync(path.join(tmpdir(), "vega-policy-enforcement-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// An unprotected primary: its buckets and keys break vega-stateful-protected, its load
// balancer vega-alb-deletion-protection (both mandatory in the shipped config).
const stackDir = stackFilesIn(path.join(tmp, "stacks"), {
  primary: (text) => text.replace(/^(\s*)vega-ha:role: primary$/m, "$&\n$1vega-ha:protect: false"),
});
const shipped = JSON.parse(
  readFileSync(path.join(ROOT, "policies/policy-config.json"), "utf8"),
) as Record<string, unknown>;

/** The shipped config with `edit` applied, written to a file of its own. */
function policyConfig(name: string, edit: (c: Record<string, any>) => void): string {
  const config = structuredClone(shipped) as Record<string, any>;
  edit(config);
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const advisoryFile = policyConfig("advisory", (c) => {
  c[statefulProtected.name] = { ...c[statefulProtected.name], enforcementLevel: "advisory" };
  c[albDeletionProtected.name] = { ...c[albDeletionProtected.name], enforcementLevel: "advisory" };
});
const plan = (out: string, extra: string[] = []) =>
  planCli(["--stack", "primary", "--stack-dir", stackDir, "--out", path.join(tmp, out), ...extra]);

let mandatory: CliResult;
let advisory: CliResult;
beforeAll(async () => {
  [mandatory, advisory] = await Promise.all([
    plan("out-mandatory"),
    plan("out-advisory", ["--policy-config", advisoryFile]),
  ]);
});

describe("npm run plan under policies/policy-config.json", () => {
  it("fails on a mandatory violation, naming rule, resource and remedy", () => {
    expect(mandatory.code).toBe(1);
    expect(mandatory.stderr).toMatch(/blocked: \d+ mandatory policy violations/);
    const bucket = new RegExp(
      `✗ ${statefulProtected.name} \\[mandatory\\] on vega-prod-use1-backup-bucket \\(aws:s3/bucket:Bucket\\): .*protect: true\\n\\s+remedy: ${escape(statefulProtected.remediationSteps!)}`,
    );
    expect(mandatory.stderr).toMatch(bucket);
    expect(mandatory.stderr).toMatch(
      new RegExp(
        `✗ ${albDeletionProtected.name} \\[mandatory\\] on vega-prod-use1-edge-alb \\(aws:lb/loadBalancer:LoadBalancer\\)`,
      ),
    );
  });

  it("still writes the plan, so the pull request comment shows the violations with their remedy", () => {
    const summary = readFileSync(path.join(tmp, "out-mandatory/primary/summary.md"), "utf8");
    expect(summary).toContain(
      `| ${statefulProtected.name} | mandatory | vega-prod-use1-backup-bucket |`,
    );
    expect(summary).toContain(statefulProtected.remediationSteps);
  });

  it("passes with the same rules advisory, printing them as warnings", () => {
    expect(advisory.stderr).toBe("");
    expect(advisory.code).toBe(0);
    expect(advisory.stdout).toMatch(
      new RegExp(`! ${statefulProtected.name} \\[advisory\\] on vega-prod-use1-backup-bucket`),
    );
    const written = JSON.parse(
      readFileSync(path.join(tmp, "out-advisory/primary/plan.json"), "utf8"),
    ) as PlanFile;
    expect(new Set(written.policy.violations.map((v) => v.enforcementLevel))).toEqual(
      new Set(["advisory"]),
    );
    expect(new Set(written.policy.violations.map((v) => v.policy))).toEqual(
      new Set([statefulProtected.name, albDeletionProtected.name]),
    );
  });

  it("refuses a config with an unknown rule or a bad limit, naming rule and key, and writes nothing", async () => {
    const bad = policyConfig("bad", (c) => {
      c["vega-stateful-protect"] = "advisory";
      c["vega-redis-sentinel-sane"].minSentinels = 2;
    });
    const result = await planCli(["--out", path.join(tmp, "out-bad"), "--policy-config", bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("vega-stateful-protect: no rule of this name in the pack");
    expect(result.stderr).toContain(
      "vega-redis-sentinel-sane.minSentinels: expected at least 3, got 2",
    );
    expect(existsSync(path.join(tmp, "out-bad"))).toBe(false);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
