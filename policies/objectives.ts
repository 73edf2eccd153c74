/**
 * Recovery objectives (seed 16.2, 16.3) as a rule: the stack's objectives table, computed from
 * its resources by the very function the offline plan prints (components/region/plan.ts
 * stackObjectives, each area's PlanExtension.objectives), and every seed 16.2/16.3 row it judges
 * missed reported with its reason. A setting that weakens a mechanism below its seed target
 * (snapshots further apart, replication without a time bound, an alarm that lets the lag grow
 * past the hour) fails the preview, not only the plan's table.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import type { ObjectiveRow } from "../components/core/objectives";
import type { RecordedResource } from "../components/core/plan";
import { stackObjectives } from "../components/region/plan";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../config/objectives";

/** The seed targets this rule judges, by their source (e.g. "seed 16.2 OpenSearch delta"). */
export const SEED_OBJECTIVE_SOURCES: readonly string[] = [
  ...Object.values(SEED_BACKUP_OBJECTIVES),
  ...Object.values(SEED_RECOVERY_PROCEDURES),
].map((t) => t.source);

/**
 * The resources as the plan extensions read them (RecordedResource): the engine's props are the
 * plain inputs, the region the `region` input else the provider's, the parent by URN.
 */
export function recordedFromPolicyResources(
  resources: readonly PolicyResource[],
): RecordedResource[] {
  return resources.map((r) => {
    const region = r.props.region ?? r.provider?.props?.region;
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent?.urn,
      provider: r.provider?.urn,
      ...(typeof region === "string" ? { region } : {}),
      custom: true,
      protect: r.opts.protect,
      retainOnDelete: false,
      dependencies: r.dependencies.map((d) => d.urn),
      inputs: r.props,
      plainInputs: r.props,
      secretPaths: [],
    };
  });
}

/** The missed rows of the stack's table that answer a seed 16.2/16.3 target not waived. */
export function missedSeedObjectives(
  resources: RecordedResource[],
  waived: readonly string[] = [],
): ObjectiveRow[] {
  return stackObjectives({ stack: "", resources, outputs: {} }).filter(
    (row) =>
      !row.met &&
      SEED_OBJECTIVE_SOURCES.includes(row.target.source) &&
      !waived.includes(row.target.source),
  );
}

export const objectivesMet: StackValidationPolicy = {
  name: "vega-objectives-met",
  description:
    "Every seed 16.2/16.3 recovery objective the stack's mechanisms answer is met, computed from the resources as the offline plan's objectives table (summary.md).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Bring the mechanism named in the message back within its seed target: snapshot and pg_dump schedules no further apart than the seed's RPO (vega-ha:opensearch.snapshots, postgres.logicalBackup), Replication Time Control on (vega-ha:backup.replication.replicationTimeControl), the database replica's ReplicaLag alarm within the RPO (observability.thresholds.dbReplicaLagSeconds), the CCR lag alarm's period at most 29 min (opensearch.replication.lagAlarmPeriodMinutes). Read the row's reason in the plan's objectives table (npm run plan). To accept a miss on purpose, list the target's source in waivedTargets.",
  configSchema: {
    properties: {
      waivedTargets: {
        type: "array",
        default: [],
        description: `Seed targets, by source, whose missed rows this rule accepts (the plan's table still shows them missed): any of ${SEED_OBJECTIVE_SOURCES.map((s) => JSON.stringify(s)).join(", ")}.`,
      },
    },
  },
  validateStack: (args, report) => {
    const { waivedTargets } = args.getConfig<{ waivedTargets: unknown[] }>();
    const unknown = waivedTargets.filter((t) => !SEED_OBJECTIVE_SOURCES.includes(t as string));
    if (unknown.length > 0)
      report(
        `waivedTargets: unknown seed target(s) ${unknown.map((t) => JSON.stringify(t)).join(", ")} (known: ${SEED_OBJECTIVE_SOURCES.join(", ")})`,
      );
    const resources = recordedFromPolicyResources(args.resources);
    for (const row of missedSeedObjectives(resources, waivedTargets as string[]))
      report(`${row.target.source}: ${row.mechanism}: ${row.reason}; from ${row.basis}`);
  },
};

export const objectivesPolicies = [objectivesMet];
