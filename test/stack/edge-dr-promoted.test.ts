import { beforeAll, describe, expect, it } from "vitest";
import { WORKER_POOLS, parseStackConfig, rawProjectConfig } from "../../config";
import { failoverRoles, poolSizes } from "../edge/stack-checks";
import { examplePrimaryOutputs, stackFileConfig, synthStack, type Synth } from "../harness";

const override = { "vega-ha:promoted": "true" };
const config = parseStackConfig(rawProjectConfig({ ...stackFileConfig("dr").config, ...override }));

let dr: Synth;
beforeAll(async () => {
  dr = await synthStack("dr", { override, stackOutputs: { [config.primaryStack!]: examplePrimaryOutputs() } });
});

describe("DR stack promoted (seed 16.3 region_failover)", () => {
  it("scales every worker pool to full size", () => {
    expect(config.promoted).toBe(true);
    expect(poolSizes(dr)).toEqual(Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].replicas])));
  });

  it("stays the SECONDARY record (the primary's record stands down with edge.dns.standDown)", () => {
    expect(failoverRoles(dr)).toEqual(["SECONDARY"]);
  });
});
