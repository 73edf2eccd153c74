/**
 * The edge area's part of the offline plan: the failure-detection budget computed from the
 * recorded settings next to the seed's targets, what the edge and compute layer looks like in
 * this stack, and the gateway's rendered runtime config as a file to review.
 */
import type {
  PlanArtifact,
  PlanContext,
  PlanExtension,
  PlanSection,
  RecordedResource,
  ResourceProps,
} from "../core/plan";
import type { ObjectiveInput } from "../core/objectives";
import { failureDetectionBudget, type BudgetLine } from "./budget";
import { TARGET_GROUP_BINDING_TYPE } from "./binding";

type Props = ResourceProps;

const ofType = (resources: RecordedResource[], type: string) =>
  resources.filter((r) => r.type === type);

/** The budget of the stack's target group and Route 53 health check, or none if it has no edge. */
export function budgetFromResources(resources: RecordedResource[]): BudgetLine[] {
  return budgetWithPhases(resources).map((b) => b.line);
}

/** Each budget line with the part it plays in a region failover, if any. */
function budgetWithPhases(
  resources: RecordedResource[],
): { line: BudgetLine; phase?: "detection" }[] {
  const targetGroup = ofType(resources, "aws:lb/targetGroup:TargetGroup")[0]?.inputs as
    Props | undefined;
  const healthCheck = ofType(resources, "aws:route53/healthCheck:HealthCheck")[0]?.inputs as
    Props | undefined;
  const lb = targetGroup?.healthCheck;
  if (!lb || !healthCheck) return [];
  const [drop, failover] = failureDetectionBudget(
    {
      intervalSeconds: lb.interval,
      timeoutSeconds: lb.timeout,
      unhealthyThreshold: lb.unhealthyThreshold,
    },
    {
      requestIntervalSeconds: healthCheck.requestInterval,
      failureThreshold: healthCheck.failureThreshold,
    },
  );
  return [{ line: drop! }, { line: failover!, phase: "detection" }];
}

/**
 * The edge's rows of the objectives table: the failure budget (how long a failure goes
 * unnoticed), and the Route 53 detection as the detection phase of a region failover. Holding
 * clients on DR with the stand-down lever (disabled + inverted) counts as one more detection:
 * Route 53 acts on the new status like on a failure, then resolvers drop the cached answer.
 */
export function edgeObjectives(ctx: PlanContext): ObjectiveInput[] {
  return budgetWithPhases(ctx.resources).flatMap(({ line, phase }): ObjectiveInput[] => {
    const row: ObjectiveInput = {
      area: "edge",
      mechanism: `${line.what} (detection)`,
      rto: line.seconds,
      basis: line.formula,
      target: { source: line.target, rtoSeconds: line.targetSeconds },
    };
    if (phase !== "detection") return [row];
    return [
      { ...row, failover: { phase: "detection", seconds: line.seconds } },
      {
        ...row,
        mechanism: "Route 53 stand-down lever holds clients on DR (disabled + inverted check)",
        basis: `as a detection: ${line.formula}`,
        failover: { phase: "dns", seconds: line.seconds },
      },
    ];
  });
}

const seconds = (s: number) => (s >= 3600 && s % 3600 === 0 ? `${s / 3600} h` : `${s} s`);

export function budgetMarkdown(lines: BudgetLine[]): string {
  const rows = lines.map(
    (l) =>
      `| ${l.what} | ${l.formula} | **${seconds(l.seconds)}** | ${seconds(l.targetSeconds)}: ${l.target} | ${l.withinTarget ? "within" : "**over**"} |`,
  );
  return ["| Failure | Detection | Time | Seed target | |", "|---|---|---|---|---|", ...rows].join(
    "\n",
  );
}

function computeMarkdown(resources: RecordedResource[]): string | undefined {
  const record = ofType(resources, "aws:route53/record:Record").find(
    (r) => (r.inputs.failoverRoutingPolicies as Props[] | undefined)?.length,
  );
  const gateway = ofType(resources, "kubernetes:apps/v1:Deployment").find(
    (d) => (d.inputs as Props).spec?.template?.spec?.readinessGates?.length,
  );
  const pools = ofType(resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
  if (!record && !gateway && pools.length === 0) return undefined;
  const lines: string[] = [];
  if (record) {
    const r = record.inputs as Props;
    lines.push(
      `- Failover record \`${r.name}\` **${r.failoverRoutingPolicies[0].type}** (set \`${r.setIdentifier}\`), alias to this region's ALB, target health evaluated.`,
    );
  }
  if (ofType(resources, TARGET_GROUP_BINDING_TYPE).length > 0)
    lines.push("- Gateway pods registered as IP targets through a `TargetGroupBinding`.");
  if (gateway) {
    const spec = (gateway.inputs as Props).spec;
    const container = spec.template.spec.containers[0];
    lines.push(
      `- Gateway: ${spec.replicas} replicas, preStop ${container.lifecycle?.preStop?.sleep?.seconds} s, termination grace ${spec.template.spec.terminationGracePeriodSeconds} s, image \`${container.image}\`.`,
    );
  }
  if (pools.length > 0) {
    lines.push("", "| Worker pool | Min | Max | CPU target |", "|---|---|---|---|");
    for (const p of pools) {
      const spec = (p.inputs as Props).spec;
      lines.push(
        `| ${(p.inputs as Props).metadata.name} | ${spec.minReplicas} | ${spec.maxReplicas} | ${spec.metrics[0].resource.target.averageUtilization} % |`,
      );
    }
  }
  return lines.join("\n");
}

function sections(ctx: PlanContext): PlanSection[] {
  const out: PlanSection[] = [];
  const budget = budgetFromResources(ctx.resources);
  if (budget.length > 0)
    out.push({ title: "Failure-detection budget", markdown: budgetMarkdown(budget) });
  const compute = computeMarkdown(ctx.resources);
  if (compute) out.push({ title: "Edge and compute", markdown: compute });
  return out;
}

/** The gateway's runtime config file(s), as the pods will read them. */
function artifacts(ctx: PlanContext): PlanArtifact[] {
  return ofType(ctx.resources, "kubernetes:core/v1:ConfigMap")
    .filter(
      (c) => (c.inputs as Props).metadata?.labels?.["app.kubernetes.io/component"] === "gateway",
    )
    .flatMap((c) =>
      Object.entries((c.inputs as Props).data ?? {}).map(([file, content]) => ({
        path: `gateway/${file}`,
        content: String(content),
      })),
    );
}

export const edgePlanExtension: PlanExtension = {
  name: "edge",
  sections,
  artifacts,
  objectives: edgeObjectives,
};
