/** A promoted DR region stops watching replication it no longer receives. */
import { beforeAll, describe, expect, it } from "vitest";
import { synthDr, type Synth } from "../harness";

let promoted: Synth;
beforeAll(async () => {
  promoted = await synthDr({ override: { "vega-ha:promoted": "true" } });
});

describe("promoted DR stack", () => {
  it("has no replication alarms in either region, and keeps its own monitoring and load balancer alarms", () => {
    expect(promoted.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(0);
    const alarms = promoted.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.filter((a) => (a.inputs.namespace as string | undefined) === "AWS/S3")).toEqual([]);
    expect(alarms.map((a) => a.region)).toEqual(alarms.map(() => promoted.outputs.region));
    expect(promoted.ofType("vega:observability:Observability")).toHaveLength(1);
    expect(new Set(promoted.resources.map((r) => r.region).filter(Boolean))).toEqual(new Set([promoted.outputs.region]));
  });
});
