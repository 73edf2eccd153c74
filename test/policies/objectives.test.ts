/**
 * vega-objectives-met on the real stacks: the rule computes the plan's objectives table from the
 * resources as the engine hands them over, reports each missed seed 16.2/16.3 row with its
 * reason, accepts the waived ones, and refuses a waiver it does not know.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../components/core/plan";
import { stackObjectives } from "../../components/region/plan";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config";
import { objectivesMutations } from "../../policies/objectives.mutations";
import {
  objectivesMet,
  recordedFromPolicyResources,
  SEED_OBJECTIVE_SOURCES,
} from "../../policies/objectives";
import { runPolicies } from "../../policies/runner";
import { synthRealStacks, type StackKind } from "./stacks";

let stacks: Record<StackKind, RecordedResource[]>;
beforeAll(async () => {
  stacks = await synthRealStacks();
}, 300_000);

const violations = async (resources: RecordedResource[], waivedTargets?: string[]) =>
  (
    await runPolicies(resources, waivedTargets ? { [objectivesMet.name]: { waivedTargets } } : {}, [
      objectivesMet,
    ])
  ).violations.map((v) => v.message);

const mutation = (breaks: string) => objectivesMutations.find((m) => m.breaks.includes(breaks))!;

describe("vega-objectives-met", () => {
  it("passes the real primary, DR and promoted-DR stacks, whose tables meet every row", async () => {
    for (const kind of ["primary", "dr", "promoted-dr"] as const) {
      expect(await violations(stacks[kind])).toEqual([]);
      const rows = stackObjectives({ stack: kind, resources: stacks[kind], outputs: {} });
      expect(rows.filter((r) => !r.met)).toEqual([]);
    }
  });

  it("judges region failover where data is carried in: the DR stack, not the promoted one", () => {
    const areas = (kind: StackKind) =>
      stackObjectives({ stack: kind, resources: stacks[kind], outputs: {} }).map((r) => r.area);
    expect(areas("dr")).toContain("region");
    expect(areas("promoted-dr")).not.toContain("region");
    expect(areas("primary")).not.toContain("region");
  });

  it("reports a replica-lag alarm above the RPO by its seed row, mechanism and reason", async () => {
    const found = await violations(mutation("ReplicaLag").apply(stacks.primary)!);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${SEED_BACKUP_OBJECTIVES.metadataWal.source}: `);
    expect(found[0]).toContain("PostgreSQL in-region replica");
    expect(found[0]).toMatch(/missed: RPO 2 h > 5 min/);
  });

  it("reports a CCR lag alarm too slow for the hour: the CCR row and region failover's RPO", async () => {
    const found = await violations(mutation("CCR lag alarm").apply(stacks.dr)!);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain("OpenSearch cross-cluster replication");
    expect(found[1]).toContain("Region failover");
    for (const f of found) expect(f).toContain(SEED_RECOVERY_PROCEDURES.regionFailover.source);
  });

  it("accepts a waived target, and refuses an unknown one naming the key", async () => {
    const mutated = mutation("ReplicaLag").apply(stacks.primary)!;
    expect(await violations(mutated, [SEED_BACKUP_OBJECTIVES.metadataWal.source])).toEqual([]);
    const unknown = await violations(stacks.primary, ["seed 99 nothing"]);
    expect(unknown).toEqual([
      `waivedTargets: unknown seed target(s) "seed 99 nothing" (known: ${SEED_OBJECTIVE_SOURCES.join(", ")})`,
    ]);
    // The config schema tells the same list to whoever writes policy-config.json.
    for (const source of SEED_OBJECTIVE_SOURCES)
      expect(objectivesMet.configSchema?.properties.waivedTargets?.description).toContain(
        JSON.stringify(source),
      );
    expect(SEED_OBJECTIVE_SOURCES).toContain(SEED_RECOVERY_PROCEDURES.regionFailover.source);
  });
});

describe("the resources the engine hands over, read as the plan reads them", () => {
  const provider = {
    type: "pulumi:providers:aws",
    urn: "urn:p",
    name: "aws",
    props: { region: "us-west-2" },
  };
  const base = {
    type: "aws:s3/bucket:Bucket",
    urn: "urn:b",
    name: "b",
    opts: { protect: true },
    dependencies: [{ urn: "urn:key" }, { urn: "urn:role" }],
    parent: { urn: "urn:vault" },
  };
  it("keeps URN, parent, provider, protection and dependencies; the region from the resource, else its provider", () => {
    const [own, inherited, none] = recordedFromPolicyResources([
      { ...base, props: { region: "eu-west-1", bucket: "x" }, provider },
      { ...base, props: { bucket: "y" }, provider },
      { ...base, props: { bucket: "z" }, provider: { ...provider, props: {} }, parent: undefined },
    ] as never);
    expect(own).toStrictEqual({
      urn: "urn:b",
      type: "aws:s3/bucket:Bucket",
      name: "b",
      parent: "urn:vault",
      provider: "urn:p",
      region: "eu-west-1",
      custom: true,
      protect: true,
      retainOnDelete: false,
      dependencies: ["urn:key", "urn:role"],
      inputs: { region: "eu-west-1", bucket: "x" },
      plainInputs: { region: "eu-west-1", bucket: "x" },
      secretPaths: [],
    });
    expect(inherited!.region).toBe("us-west-2");
    expect(none).not.toHaveProperty("region");
    expect(none!.parent).toBeUndefined();
    const [bare] = recordedFromPolicyResources([
      { ...base, props: {}, provider: undefined },
    ] as never);
    expect(bare).not.toHaveProperty("region");
  });
});
