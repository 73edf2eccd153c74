/**
 * Mutations that prove the objectives rule of objectives.ts (see mutation.ts): each weakens one
 * mechanism below its seed target without breaking any other rule's property.
 */
import type { RecordedResource } from "../components/core/plan";
import { OPENSEARCH_REST_TYPE } from "../components/opensearch/rest";
import { editInputs, type PolicyMutation } from "./mutation";
import { objectivesMet } from "./objectives";

const LAG_ALARM = {
  type: "aws:cloudwatch/metricAlarm:MetricAlarm",
  where: (r: RecordedResource) => r.name.endsWith("replication-lag"),
};
const DELTA_POLICY = {
  type: OPENSEARCH_REST_TYPE,
  where: (r: RecordedResource) =>
    r.inputs.kind === "smPolicy" &&
    String((r.inputs.spec as { name?: string } | undefined)?.name ?? r.name).includes("hourly"),
};

export const objectivesMutations: PolicyMutation[] = [
  {
    rule: objectivesMet,
    breaks: "the CCR lag alarm checks once an hour (lag unnoticed up to 2 h 1 min, RPO 1 h)",
    apply: editInputs(LAG_ALARM, (p) => {
      for (const q of p.metricQueries as { period?: number; metric?: { period?: number } }[]) {
        if (q.period !== undefined) q.period = 3600;
        if (q.metric) q.metric.period = 3600;
      }
    }),
  },
  {
    rule: objectivesMet,
    breaks: "the OpenSearch delta snapshot every 2 h (seed 16.2 RPO 1 h)",
    apply: editInputs(DELTA_POLICY, (p) => {
      p.spec.body.creation.schedule.cron.expression = "15 */2 * * *";
    }),
  },
];
