import { beforeAll, describe, expect, it } from "vitest";
import { synthDr, type Synth } from "../harness";

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr({ override: { "vega-ha:promoted": "true" } });
});

describe("dr stack with promoted: true (seed 16.3 region_failover)", () => {
  it("stops replication into DR: no replication link is declared", () => {
    expect(dr.ofType("vega:backup:BackupReplication")).toHaveLength(0);
    expect(dr.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(0);
  });

  it("keeps its own vault", () => {
    expect(dr.ofType("vega:backup:BackupVault")).toHaveLength(1);
    expect(dr.outputs.role).toBe("dr");
  });
});
