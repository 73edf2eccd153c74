/** The areas that add sections or files to the offline plan. One line per area. */
import { backupPlanExtension } from "../../components/backup/plan";
import { edgePlanExtension } from "../../components/edge/plan";
import { observabilityPlan } from "../../components/observability/plan";
import { openSearchPlanExtension } from "../../components/opensearch/plan";
import { postgresPlanExtension } from "../../components/postgres/plan";
import { redisPlanExtension } from "../../components/redis/plan";
import type { PlanExtension } from "../../components/core/plan";

export const PLAN_EXTENSIONS: PlanExtension[] = [
  backupPlanExtension,
  edgePlanExtension,
  observabilityPlan,
  redisPlanExtension,
  openSearchPlanExtension,
  postgresPlanExtension,
];
