import { beforeAll, describe, expect, it } from "vitest";
import { WORKER_POOLS, stackOutputsSchema } from "../../config";
import { describeSeedFigures, failoverRoles, poolSizes } from "../edge/stack-checks";
import { examplePrimaryOutputs, stackConfig, synthDr, type Synth } from "../harness";
import { parsedPrimary } from "../edge/fixtures";

const config = stackConfig("dr");

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr();
});

describe("DR stack (not promoted): edge and compute", () => {
  describeSeedFigures(() => dr);

  it("creates the SECONDARY failover record and no PRIMARY, under the primary's record name", () => {
    expect(failoverRoles(dr)).toEqual(["SECONDARY"]);
    const primaryEdge = (examplePrimaryOutputs() as any).edge;
    const record = dr.one("aws:route53/record:Record").inputs;
    expect([record.name, record.zoneId]).toEqual([primaryEdge.recordName, primaryEdge.zoneId]);
    expect(record.setIdentifier).not.toBe(primaryEdge.setIdentifier);
    expect(stackOutputsSchema.parse(dr.outputs).edge.failover).toBe("SECONDARY");
  });

  it("runs the worker pools at warm-standby size, the gateways at full strength", () => {
    expect(poolSizes(dr)).toEqual(Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].standbyReplicas])));
    expect((dr.one("kubernetes:apps/v1:Deployment", "-gateway-deployment").inputs as any).spec.replicas).toBe(parsedPrimary().gateway.replicas);
  });
});
