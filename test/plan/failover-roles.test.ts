import { describe, expect, it } from "vitest";
import {
  failoverClaims,
  failoverRoleConflicts,
  type StackClaims,
} from "../../tools/plan/failover-roles";

const RECORD = "aws:route53/record:Record";
const record = (urn: string, failover: string, inputs: Record<string, unknown> = {}) => ({
  urn,
  type: RECORD,
  inputs: {
    zoneId: "Z1",
    name: "vega.example.com",
    type: "A",
    failoverRoutingPolicies: [{ type: failover }],
    ...inputs,
  },
});
const stack = (name: string, resources: ReturnType<typeof record>[]): StackClaims => ({
  stack: name,
  roleKey: "vega-ha:role",
  roleAt: `Pulumi.${name}.yaml:3`,
  claims: failoverClaims(resources),
});

describe("failoverClaims", () => {
  it("takes failover records only, with zone, name, type and role", () => {
    const claims = failoverClaims([
      record("a", "PRIMARY"),
      { urn: "b", type: RECORD, inputs: { zoneId: "Z1", name: "plain", type: "A" } },
      { urn: "c", type: "aws:route53/healthCheck:HealthCheck", inputs: {} },
    ]);
    expect(claims).toEqual([
      { urn: "a", zoneId: "Z1", name: "vega.example.com", type: "A", failover: "PRIMARY" },
    ]);
  });
});

describe("failoverRoleConflicts", () => {
  it("passes one PRIMARY and one SECONDARY for a name", () => {
    expect(
      failoverRoleConflicts([
        stack("primary", [record("p", "PRIMARY")]),
        stack("dr", [record("d", "SECONDARY")]),
      ]),
    ).toEqual([]);
  });

  it("refuses two stacks claiming the same role, naming both stacks, the key and where it is", () => {
    const [conflict, ...rest] = failoverRoleConflicts([
      stack("primary", [record("p", "PRIMARY")]),
      // Route 53 names are case-insensitive and the trailing dot is optional.
      stack("dr", [record("d", "PRIMARY", { name: "VEGA.example.com." })]),
    ]);
    expect(rest).toEqual([]);
    expect(conflict).toContain(
      "stacks primary and dr both claim the PRIMARY failover record vega.example.com (A) in zone Z1",
    );
    expect(conflict).toContain("primary: vega-ha:role at Pulumi.primary.yaml:3 (p)");
    expect(conflict).toContain("dr: vega-ha:role at Pulumi.dr.yaml:3 (d)");
  });

  it("keeps records of other names, types or zones apart", () => {
    expect(
      failoverRoleConflicts([
        stack("primary", [record("p", "PRIMARY")]),
        stack("a", [record("a", "PRIMARY", { name: "other.example.com" })]),
        stack("b", [record("b", "PRIMARY", { type: "AAAA" })]),
        stack("c", [record("c", "PRIMARY", { zoneId: "Z2" })]),
      ]),
    ).toEqual([]);
  });
});
