import { describe, expect, it, vi } from "vitest";
import { failoverPairProblem } from "../../components/edge";
import { examplePrimaryOutputs, stackConfig, synthStack } from "../harness";

const config = stackConfig("dr");

describe("DR stack whose DNS config differs from the primary's record", () => {
  const primary = examplePrimaryOutputs() as any;
  const primaryEdge = {
    ...primary.edge,
    recordName: "api.other.example.com",
    zoneId: "Z9OTHERZONE",
  };

  it("still pairs: the SECONDARY record takes the primary's name and zone from the contract, with a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const dr = await synthStack("dr", {
      stackOutputs: { [config.primaryStack!]: { ...primary, edge: primaryEdge } },
    });
    expect(warn.mock.calls.flat().join("\n")).toContain(
      failoverPairProblem(primaryEdge, config.platform.dns!),
    );
    warn.mockRestore();
    const record = dr.one("aws:route53/record:Record").inputs;
    expect([record.name, record.zoneId]).toEqual([primaryEdge.recordName, primaryEdge.zoneId]);
    expect((dr.outputs as any).edge).toMatchObject({
      recordName: primaryEdge.recordName,
      zoneId: primaryEdge.zoneId,
      failover: "SECONDARY",
    });
  });

  it("names both disagreeing keys in the warning", () => {
    const problem = failoverPairProblem(primaryEdge, config.platform.dns!);
    expect(problem).toMatch(
      /vega-ha:platform\.dns\.domain is vega\.example\.com but the primary's record is api\.other\.example\.com/,
    );
    expect(problem).toMatch(
      /vega-ha:platform\.dns\.zoneId is Z0123456789ABCDEFGHIJ but the primary's record is in Z9OTHERZONE/,
    );
    expect(failoverPairProblem(primary.edge, config.platform.dns!)).toBeUndefined();
  });
});
