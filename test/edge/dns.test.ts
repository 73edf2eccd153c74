/** The DNS pairing check and the readiness-gate name (components/edge/dns.ts, binding.ts). */
import { describe, expect, it } from "vitest";
import { failoverPairProblem, targetHealthConditionType } from "../../components/edge";
import { stackConfig } from "../harness";

const own = stackConfig("dr").platform.dns!;
const FOLLOW = ": the SECONDARY record follows the primary's record, fix the DR stack's config";

describe("failoverPairProblem", () => {
  it("finds nothing when the DR config names the primary's record and zone", () => {
    expect(
      failoverPairProblem({ recordName: own.domain, zoneId: own.zoneId }, own),
    ).toBeUndefined();
  });

  it("names the domain alone, the zone alone, or both, with what to fix", () => {
    expect(failoverPairProblem({ recordName: "api.other.example", zoneId: own.zoneId }, own)).toBe(
      `vega-ha:platform.dns.domain is ${own.domain} but the primary's record is api.other.example${FOLLOW}`,
    );
    expect(failoverPairProblem({ recordName: own.domain, zoneId: "Z9OTHER" }, own)).toBe(
      `vega-ha:platform.dns.zoneId is ${own.zoneId} but the primary's record is in Z9OTHER${FOLLOW}`,
    );
    expect(failoverPairProblem({ recordName: "a.example", zoneId: "Z9OTHER" }, own)).toBe(
      `vega-ha:platform.dns.domain is ${own.domain} but the primary's record is a.example; ` +
        `vega-ha:platform.dns.zoneId is ${own.zoneId} but the primary's record is in Z9OTHER${FOLLOW}`,
    );
  });
});

describe("targetHealthConditionType", () => {
  it("is the condition the AWS Load Balancer Controller sets on a pod behind the binding", () => {
    // The controller's pod readiness gate docs: target-health.elbv2.k8s.aws/<binding name>.
    expect(targetHealthConditionType("vega-gateway")).toBe(
      "target-health.elbv2.k8s.aws/vega-gateway",
    );
  });
});
