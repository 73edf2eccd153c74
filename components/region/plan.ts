/**
 * The areas that add sections, files or objectives rows to the offline plan, one line per area,
 * and the stack's recovery-objectives table built from them. Here, in components/, so that the
 * offline plan (tools/plan) and the policy pack (policies/objectives.ts) compute the very same
 * table from a stack's resources.
 */
import { backupPlanExtension } from "../backup/plan";
import { assembleObjectives, type ObjectiveRow } from "../core/objectives";
import type { PlanContext, PlanExtension } from "../core/plan";
import { edgePlanExtension } from "../edge/plan";
import { observabilityPlan } from "../observability/plan";
import { openSearchPlanExtension } from "../opensearch/plan";
import { postgresPlanExtension } from "../postgres/plan";
import { redisPlanExtension } from "../redis/plan";

export const PLAN_EXTENSIONS: PlanExtension[] = [
  backupPlanExtension,
  edgePlanExtension,
  observabilityPlan,
  redisPlanExtension,
  openSearchPlanExtension,
  postgresPlanExtension,
];

/**
 * The objectives table of one stack: every area's rows judged, and region failover as a whole
 * where a mechanism carries data into the stack's region (a DR stack following another).
 * `extensions` defaults to the registered areas.
 */
export function stackObjectives(
  ctx: PlanContext,
  extensions: PlanExtension[] = PLAN_EXTENSIONS,
): ObjectiveRow[] {
  return assembleObjectives(extensions.flatMap((e) => e.objectives?.(ctx) ?? []));
}
