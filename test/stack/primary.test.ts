import { beforeAll, describe, expect, it } from "vitest";
import { describeLogicalBackupWiring, describeRegionWiring } from "./region-suite";
import { describeUrnsKept } from "./urns-kept";
import { describeStatefulUrnsKept } from "../backup/stack-suites";
import { stackOutputsSchema } from "../../config";
import { describeEdgeInPrimary } from "../edge/stack-suites";
import { stackConfig, synthStack, type Synth } from "../harness";
import { describeObservabilityInPrimary } from "../observability/stack-suites";
import { describeRedisInStack } from "../redis/stack-suites";
import { describeSearchInPrimary } from "../opensearch/stack-suites";
import { describePostgresInPrimary } from "../postgres/stack-suites";

let primary: Synth;
beforeAll(async () => {
  primary = await synthStack("primary");
});

describe("primary stack, synthesised from Pulumi.primary.yaml", () => {
  it("exports outputs that follow the contract", () => {
    const parsed = stackOutputsSchema.parse(primary.outputs);
    expect(parsed.role).toBe("primary");
    expect(parsed.region).toBe("us-east-1");
  });

  it("exports its vault's Object Lock setting, which the DR stack's replication is checked against", () => {
    expect(primary.outputs.backup.objectLockEnabled).toBe(
      stackConfig("primary").backup.objectLock.enabled,
    );
  });

  it("holds no DR resource: nothing outside its region, no replication, no stack reference", () => {
    const regions = new Set(primary.resources.map((r) => r.region).filter(Boolean));
    expect([...regions]).toEqual(["us-east-1"]);
    expect(primary.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(
      0,
    );
    expect(primary.ofType("pulumi:pulumi:StackReference")).toHaveLength(0);
    expect(primary.ofType("vega:opensearch:CrossClusterReplication")).toHaveLength(0);
  });
});

// One synthesis of the stack, checked area by area.
describeEdgeInPrimary(() => primary);
describeRedisInStack("primary", () => primary);
describeObservabilityInPrimary(() => primary);
describeStatefulUrnsKept("primary", () => primary);
describeSearchInPrimary(() => primary);
describePostgresInPrimary(() => primary, stackConfig("primary"));

describeUrnsKept("primary", () => primary);
describeRegionWiring(() => primary, stackConfig("primary"));
describeLogicalBackupWiring(() => primary, stackConfig("primary"));
