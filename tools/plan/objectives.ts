/**
 * The stack's recovery-objectives table as a summary.md section (the table itself:
 * components/region/plan.ts stackObjectives, shared with the policy pack).
 */
import {
  judgesRegionFailover,
  objectivesMarkdown,
  type ObjectiveRow,
} from "../../components/core/objectives";
import type { PlanContext, PlanSection } from "../../components/core/plan";

export { stackObjectives } from "../../components/region/plan";

export function objectivesSection(rows: ObjectiveRow[], ctx: PlanContext): PlanSection {
  const missed = rows.filter((r) => !r.met).length;
  return {
    title: "Recovery objectives (seed 16.2, 16.3)",
    markdown: [
      missed === 0
        ? `Every mechanism meets its target (${rows.length} rows), computed from the synthesised resources.`
        : `**${missed} of ${rows.length} rows missed**, computed from the synthesised resources.`,
      ...(judgesRegionFailover(rows)
        ? []
        : [
            "",
            ctx.outputs.role === "dr"
              ? "No mechanism carries data into this region (promoted: it is the primary now). Region failover as a whole is judged in the stack that follows it: the DR stack failback builds in the old primary region."
              : "Region failover as a whole is judged in the DR stack's plan: it owns every cross-region link.",
          ]),
      "",
      objectivesMarkdown(rows),
    ].join("\n"),
  };
}
