/** The edge's part of the offline plan (components/edge/plan.ts) where the stacks do not reach. */
import { beforeAll, describe, expect, it } from "vitest";
import { budgetMarkdown, edgePlanExtension } from "../../components/edge/plan";
import type { PlanContext } from "../../components/core/plan";
import { TARGET_GROUP_BINDING_TYPE } from "../../components/edge/binding";
import { ALB_ALIAS_TTL_SECONDS, WORKER_POOLS, imageReference } from "../../config";
import { stackConfig, synthStack, type Synth } from "../harness";
import { planContext, recordedResource } from "../harness/records";

const context = (resources: PlanContext["resources"]) => planContext(resources, "primary");

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

describe("the edge plan extension on the primary stack", () => {
  const config = stackConfig("primary");
  let primary: Synth;
  beforeAll(async () => {
    primary = await synthStack("primary");
  });
  const ctx = () => context(primary.resources);

  it("writes the budget and the edge-and-compute sections", () => {
    const sections = edgePlanExtension.sections!(ctx());
    expect(sections.map((x) => x.title)).toEqual(["Failure-detection budget", "Edge and compute"]);
    const [budget, compute] = sections.map((x) => x.markdown.split("\n"));
    expect(budget!.slice(2).map((l) => l.split(" | ")[0])).toEqual([
      "| ALB drops a dead gateway",
      "| Route 53 fails the region over",
    ]);
    expect(budget!.every((l, i) => i < 2 || l.endsWith("| within |"))).toBe(true);
    const { gateway, edge, workers } = config;
    const preStop = edge.targetGroup.deregistrationDelaySeconds + gateway.drain.marginSeconds;
    expect(compute).toEqual([
      `- Failover record \`${config.platform.dns!.domain}\` **PRIMARY** (set \`primary-use1\`), alias to this region's ALB, target health evaluated.`,
      "- Gateway pods registered as IP targets through a `TargetGroupBinding`.",
      `- Gateway: ${gateway.replicas} replicas, preStop ${preStop} s, termination grace ${preStop + gateway.drain.shutdownSeconds} s, image \`${imageReference(gateway.image)}\`.`,
      "",
      "| Worker pool | Min | Max | CPU target |",
      "|---|---|---|---|",
      ...WORKER_POOLS.map(
        (pool) =>
          `| vega-worker-${pool} | ${workers[pool].replicas.min} | ${workers[pool].replicas.max} | ${workers[pool].targetCpuPercent} % |`,
      ),
    ]);
  });

  it("counts Route 53's detection, and the stand-down lever, in a region failover", () => {
    const rows = edgePlanExtension.objectives!(ctx());
    expect(rows.map((r) => [r.mechanism, r.failover?.phase])).toEqual([
      ["ALB drops a dead gateway (detection)", undefined],
      ["Route 53 fails the region over (detection)", "detection"],
      ["Route 53 stand-down lever holds clients on DR (disabled + inverted check)", "dns"],
    ]);
    const { healthCheck } = config.edge.dns;
    const dnsSeconds =
      healthCheck.failureThreshold * healthCheck.requestIntervalSeconds + ALB_ALIAS_TTL_SECONDS;
    expect(rows.map((r) => [r.area, r.rto, r.failover?.seconds])).toEqual([
      ["edge", rows[0]!.rto, undefined],
      ["edge", dnsSeconds, dnsSeconds],
      ["edge", dnsSeconds, dnsSeconds],
    ]);
    expect(rows[2]!.basis).toBe(`as a detection: ${rows[1]!.basis}`);
    expect(rows[1]!.target).toEqual({ source: "seed 16.3 region_failover RTO", rtoSeconds: 3600 });
  });
});
