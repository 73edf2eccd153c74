import { beforeAll, describe, expect, it } from "vitest";
import { describeLogicalBackupWiring, describeRegionWiring } from "./region-suite";
import { describeUrnsKept } from "./urns-kept";
import { WORKER_POOLS } from "../../config";
import { failoverRoles, poolSizes } from "../edge/stack-checks";
import { stackConfig, synthDr, type Synth } from "../harness";
import { describeSearchInPromotedDr } from "../opensearch/stack-suites";
import { describePostgresPromoted } from "../postgres/stack-suites";

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
    expect(poolSizes(dr)).toEqual(
      Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].replicas])),
    );
  });

  it("stays the SECONDARY record (the primary's record stands down with edge.dns.standDown)", () => {
    expect(failoverRoles(dr)).toEqual(["SECONDARY"]);
  });

  it("has no replication alarms in either region, and keeps its own monitoring and load balancer alarms", () => {
    expect(dr.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(0);
    const alarms = dr.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.filter((a) => (a.inputs.namespace as string | undefined) === "AWS/S3")).toEqual(
      [],
    );
    expect(alarms.map((a) => a.region)).toEqual(alarms.map(() => dr.outputs.region));
    expect(dr.ofType("vega:observability:Observability")).toHaveLength(1);
    expect(new Set(dr.resources.map((r) => r.region).filter(Boolean))).toEqual(
      new Set([dr.outputs.region]),
    );
  });
});
describeSearchInPromotedDr(() => dr);
describePostgresPromoted(() => dr, config);

describeUrnsKept("dr-promoted", () => dr);
describeRegionWiring(() => dr, config);
describeLogicalBackupWiring(() => dr, config);
