/**
 * The primary stack with the optional stores switched off (vega-ha:postgres and
 * vega-ha:opensearch `enabled: false`): VegaRegion builds neither, exports neither, and alarms on
 * neither; the rest of the region stands as before.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { stackOutputsSchema } from "../../config";
import { synthStack, type Synth } from "../harness";

let lean: Synth;
beforeAll(async () => {
  lean = await synthStack("primary", {
    override: {
      "vega-ha:postgres": JSON.stringify({ enabled: false }),
      "vega-ha:opensearch": JSON.stringify({ enabled: false }),
    },
  });
});

describe("primary stack without PostgreSQL and OpenSearch", () => {
  it("creates no database, no domain, no replication link, no alarm on either", () => {
    expect(lean.ofType("aws:rds/instance:Instance")).toEqual([]);
    expect(lean.ofType("aws:opensearch/domain:Domain")).toEqual([]);
    expect(lean.ofType("vega:opensearch:CrossClusterReplication")).toEqual([]);
    expect(lean.ofType("kubernetes:batch/v1:CronJob")).toEqual([]);
    const alarms = lean.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.filter((n) => /-(postgres|search)-/.test(n))).toEqual([]);
  });

  it("exports a contract without their sections, the rest of the region intact", () => {
    const outputs = stackOutputsSchema.parse(lean.outputs);
    expect(outputs.postgres).toBeUndefined();
    expect(outputs.opensearch).toBeUndefined();
    expect(outputs.redis?.masterGroup).toBeTruthy();
    expect(lean.ofType("vega:backup:BackupVault")).toHaveLength(1);
  });
});
