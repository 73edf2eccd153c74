import { beforeAll, describe, expect, it } from "vitest";
import { describeRegionWiring } from "./region-suite";
import { describeUrnsKept } from "./urns-kept";
import { describeStatefulUrnsKept } from "../backup/stack-suites";
import { stackOutputsSchema } from "../../config";
import { describeEdgeInDr } from "../edge/stack-suites";
import { examplePrimaryOutputs, stackConfig, synthDr, type Synth } from "../harness";
import { describeObservabilityInDr } from "../observability/stack-suites";
import { describeRedisInStack } from "../redis/stack-suites";
import { describeSearchInDr } from "../opensearch/stack-suites";
import { describePostgresInDr } from "../postgres/stack-suites";

const primary = examplePrimaryOutputs();
const drConfig = stackConfig("dr");
let dr: Synth;
beforeAll(async () => {
  dr = await synthDr();
});

describe("dr stack, synthesised from Pulumi.dr.yaml", () => {
  it("exports outputs that follow the contract, as role dr in its own region", () => {
    const parsed = stackOutputsSchema.parse(dr.outputs);
    expect(parsed).toMatchObject({ role: "dr", region: drConfig.region });
  });

  it("reads the primary through a StackReference named in config", () => {
    expect(dr.one("pulumi:pulumi:StackReference").inputs.name).toBe(drConfig.primaryStack);
  });

  it("owns the replication configuration, placed on the primary bucket in the primary region", () => {
    const replication = dr.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    expect(replication.region).toBe(primary.region);
    expect(replication.inputs.bucket).toBe(primary.backup.bucketName);
    expect(replication.retainOnDelete).toBe(true);
    const rule = (replication.inputs.rules as any[])[0];
    expect(rule.destination.bucket).toBe(dr.outputs.backup.bucketArn);
    expect(rule.destination.encryptionConfiguration.replicaKmsKeyId).toBe(
      dr.outputs.backup.kmsKeyArn,
    );
    expect(rule.deleteMarkerReplication.status).toBe(
      drConfig.backup.replication.deleteMarkerReplication ? "Enabled" : "Disabled",
    );
    expect(rule.destination.replicationTime?.status).toBe(
      drConfig.backup.replication.replicationTimeControl ? "Enabled" : undefined,
    );
  });

  it("gives S3 a role allowed to read the primary and write the DR vault", () => {
    const component = dr.one("vega:backup:BackupReplication");
    const role = dr.childrenOf(component).find((r) => r.type === "aws:iam/role:Role")!;
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).toEqual({
      Service: "s3.amazonaws.com",
    });
    const policy = JSON.parse(
      dr.one("aws:iam/rolePolicy:RolePolicy", "-backup-replication-role-policy").inputs
        .policy as string,
    );
    const resources = policy.Statement.flatMap((s: { Resource: string | string[] }) =>
      [s.Resource].flat(),
    );
    expect(resources).toContain(primary.backup.bucketArn);
    expect(resources).toContain(primary.backup.kmsKeyArn);
    expect(resources).toContain(`${dr.outputs.backup.bucketArn}/*`);
  });

  it("keeps its own vault in its own region", () => {
    const vault = dr.one("vega:backup:BackupVault");
    const regions = new Set(
      dr
        .childrenOf(vault)
        .filter((r) => r.custom)
        .map((r) => r.region),
    );
    expect([...regions]).toEqual([drConfig.region]);
  });

  it("puts nothing but the replication links (S3, the OpenSearch acceptance), and the alarm on S3 failures, into the primary region", () => {
    const inPrimary = dr.resources.filter((r) => r.region === primary.region);
    expect(inPrimary.map((r) => r.type).sort()).toEqual([
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    ]);
  });
});

// One synthesis of the stack, checked area by area.
describeEdgeInDr(() => dr);
describeRedisInStack("dr", () => dr);
describeObservabilityInDr(() => dr);
describeStatefulUrnsKept("dr", () => dr);
describeSearchInDr(() => dr);
describePostgresInDr(() => dr, drConfig, primary);

describeUrnsKept("dr", () => dr);
describeRegionWiring(() => dr, stackConfig("dr"));
