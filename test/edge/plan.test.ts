/** The edge's part of the offline plan (components/edge/plan.ts) where the stacks do not reach. */
import { describe, expect, it } from "vitest";
import { budgetMarkdown, edgePlanExtension } from "../../components/edge/plan";
import type { PlanContext } from "../../components/core/plan";
import { TARGET_GROUP_BINDING_TYPE } from "../../components/edge/binding";
import { recordedResource } from "../harness/records";

const context = (resources: PlanContext["resources"]): PlanContext => ({
  stack: "primary",
  resources,
  outputs: {},
});

describe("the edge plan extension", () => {
  it("writes no section and no objective for a stack without an edge", () => {
    expect(edgePlanExtension.sections!(context([]))).toEqual([]);
    expect(edgePlanExtension.objectives!(context([]))).toEqual([]);
  });

  it("writes no compute section for a binding without record, gateway or pools", () => {
    const binding = recordedResource(TARGET_GROUP_BINDING_TYPE, "b", {});
    expect(edgePlanExtension.sections!(context([binding]))).toEqual([]);
  });

  it("needs both the target group's and Route 53's health checks for a budget", () => {
    const targetGroup = recordedResource("aws:lb/targetGroup:TargetGroup", "tg", {
      healthCheck: { interval: 10, timeout: 5, unhealthyThreshold: 3 },
    });
    expect(edgePlanExtension.objectives!(context([targetGroup]))).toEqual([]);
    expect(edgePlanExtension.sections!(context([targetGroup]))).toEqual([]);
  });

  it("marks a line over its seed target, and writes whole hours as hours", () => {
    expect(
      budgetMarkdown([
        {
          what: "Route 53 fails the region over",
          formula: "f",
          seconds: 7200,
          targetSeconds: 3600,
          target: "seed 16.3 region_failover RTO",
          withinTarget: false,
        },
      ]),
    ).toBe(
      [
        "| Failure | Detection | Time | Seed target | |",
        "|---|---|---|---|---|",
        "| Route 53 fails the region over | f | **2 h** | 1 h: seed 16.3 region_failover RTO | **over** |",
      ].join("\n"),
    );
  });
});
