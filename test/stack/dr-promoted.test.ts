import { beforeAll, describe, expect, it } from "vitest";
import { WORKER_POOLS } from "../../config";
import { failoverRoles, poolSizes } from "../edge/stack-checks";
import { stackConfig, synthDr, type Synth } from "../harness";

const override = { "vega-ha:promoted": "true" };
const config = stackConfig("dr", override);

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr({ override });
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

  it("scales every worker pool to full size", () => {
    expect(config.promoted).toBe(true);
    expect(poolSizes(dr)).toEqual(Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].replicas])));
  });

  it("stays the SECONDARY record (the primary's record stands down with edge.dns.standDown)", () => {
    expect(failoverRoles(dr)).toEqual(["SECONDARY"]);
  });
});
