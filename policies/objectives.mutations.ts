/**
 * Mutations that prove the objectives rule of objectives.ts (see mutation.ts): each weakens one
 * mechanism below its seed target through an alarm's setting, which no other rule guards (a
 * snapshot schedule or Replication Time Control would be, by their own rules).
 */
import type { RecordedResource } from "../components/core/plan";
import { editInputs, type PolicyMutation } from "./mutation";
import { objectivesMet } from "./objectives";

const LAG_ALARM = {
  type: "aws:cloudwatch/metricAlarm:MetricAlarm",
  where: (r: RecordedResource) => r.name.endsWith("replication-lag"),
};
const REPLICA_LAG_ALARM = {
  type: "aws:cloudwatch/metricAlarm:MetricAlarm",
  where: (r: RecordedResource) => r.inputs.metricName === "ReplicaLag",
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
    breaks:
      "a database replica's ReplicaLag alarm at 2 h (seed 16.2 WAL RPO 5 min in-region, 16.3 RPO 1 h cross-region)",
    apply: editInputs(REPLICA_LAG_ALARM, (p) => {
      p.threshold = 2 * 3600;
    }),
  },
];
