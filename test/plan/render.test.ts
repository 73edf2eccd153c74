import { describe, expect, it } from "vitest";
import { diffPlans, fieldChanges, formatDiff } from "../../tools/plan/diff";
import type { PlanFile, PlanResource } from "../../tools/plan/protocol";
import { renderMermaid, renderSummary } from "../../tools/plan/summary";
import { renderTree } from "../../tools/plan/tree";

const res = (
  name: string,
  type: string,
  parent: string | undefined,
  inputs: Record<string, unknown> = {},
  region?: string,
): PlanResource => ({
  urn: `urn:pulumi:s::p::${type}::${name}`,
  type,
  name,
  parent: parent === undefined ? undefined : `urn:pulumi:s::p::${parent}`,
  region,
  protect: false,
  retainOnDelete: false,
  inputs,
  secretPaths: [],
});

function plan(resources: PlanResource[]): PlanFile {
  return {
    planVersion: 1,
    project: "p",
    stack: "dr",
    region: "us-west-2",
    resources,
    outputs: { region: "us-west-2" },
    policy: { policies: [], violations: [] },
  };
}

const stack = res("p-dr", "pulumi:pulumi:Stack", undefined);
const region = res("r", "vega:region:VegaRegion", "pulumi:pulumi:Stack::p-dr");
const vault = res("r-backup", "vega:backup:BackupVault", "vega:region:VegaRegion::r");
const bucket = res(
  "r-backup-bucket",
  "aws:s3/bucket:Bucket",
  "vega:backup:BackupVault::r-backup",
  { versioning: "on" },
  "us-west-2",
);
const link = res(
  "r-link",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "vega:region:VegaRegion::r",
  {},
  "us-east-1",
);

describe("renderTree", () => {
  it("nests resources under their components with counts", () => {
    const tree = renderTree([stack, region, vault, bucket, link]);
    expect(tree.split("\n")).toEqual([
      "p-dr  pulumi:pulumi:Stack  (4 resources)",
      "└─ r  vega:region:VegaRegion  (3 resources)",
      "   ├─ r-backup  vega:backup:BackupVault  (1 resources)",
      "   │  └─ aws:s3/bucket:Bucket  r-backup-bucket  [us-west-2]",
      "   └─ aws:s3/bucketReplicationConfig:BucketReplicationConfig  r-link  [us-east-1]",
    ]);
  });
});

describe("renderMermaid", () => {
  it("draws components in the home region and foreign-region resources in their own subgraph", () => {
    const m = renderMermaid(plan([stack, region, vault, bucket, link]));
    expect(m).toMatch(/subgraph home\["dr: us-west-2"\]/);
    expect(m).toMatch(
      /subgraph us_east_1\["us-east-1 \(other region\)"\]\n\s+n\d+\["BucketReplicationConfig<br\/>r-link"\]/,
    );
    expect(m).not.toContain("Bucket<br/>r-backup-bucket");
  });
});

describe("diff", () => {
  it("finds leaf changes by path", () => {
    expect(fieldChanges({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3] }, d: 2 })).toEqual([
      { path: "a.b[1]", before: 2, after: 3 },
      { path: "c", before: 1, after: undefined },
      { path: "d", before: undefined, after: 2 },
    ]);
  });

  it("lists added, removed and changed resources with the changed fields", () => {
    const before = plan([stack, region, vault, bucket]);
    const after = plan([stack, region, vault, { ...bucket, inputs: { versioning: "off" } }, link]);
    const d = diffPlans(before, after);
    expect(d.added.map((r) => r.name)).toEqual(["r-link"]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toEqual([
      {
        resource: expect.objectContaining({ name: "r-backup-bucket" }),
        fields: [{ path: "versioning", before: "on", after: "off" }],
      },
    ]);
    expect(formatDiff(d)).toContain('versioning: "on" -> "off"');
    expect(renderSummary(after, [], d)).toContain("1 added, 0 removed, 1 changed, 0 moved");
  });

  it("shows a resource renamed and re-parented under an alias as moved, its children too", () => {
    const logs = res("r-backup-logs", "vega:backup:Logs", "vega:backup:BackupVault::r-backup");
    const logsBucket = res(
      "r-backup-logs-bucket",
      "aws:s3/bucket:Bucket",
      "vega:backup:Logs::r-backup-logs",
    );
    const edge = res("r-edge", "vega:edge:Edge", "vega:region:VegaRegion::r");
    const movedLogs = {
      ...res("r-edge-logs", "vega:edge:Logs", "vega:edge:Edge::r-edge"),
      aliases: [{ name: "r-backup-logs", type: "vega:backup:Logs", parentUrn: vault.urn }],
    };
    const movedBucket = res(
      "r-edge-logs-bucket",
      "aws:s3/bucket:Bucket",
      "vega:edge:Logs::r-edge-logs",
    );
    const before = plan([stack, region, vault, logs, logsBucket]);
    const after = plan([stack, region, vault, edge, movedLogs, movedBucket]);
    const d = diffPlans(before, after);
    expect(d.moved.map((m) => [m.from.name, m.resource.name])).toEqual([
      ["r-backup-logs", "r-edge-logs"],
      ["r-backup-logs-bucket", "r-edge-logs-bucket"],
    ]);
    expect([d.added.map((r) => r.name), d.removed]).toEqual([["r-edge"], []]);
    // Without the alias, the same change is a removal and an addition (a replacement).
    const unaliased = diffPlans(
      before,
      plan([stack, region, vault, edge, { ...movedLogs, aliases: undefined }, movedBucket]),
    );
    expect(unaliased.moved).toEqual([]);
    expect(unaliased.removed.map((r) => r.name)).toEqual(["r-backup-logs", "r-backup-logs-bucket"]);
    expect(renderSummary(after, [], d)).toContain(
      "🔀 `vega:backup:Logs` r-backup-logs → `vega:edge:Logs` r-edge-logs",
    );
  });
});
