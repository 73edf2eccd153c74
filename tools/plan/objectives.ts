/**
 * The stack's recovery-objectives table: every registered area's rows (PlanExtension.objectives)
 * judged, with region failover as a whole in the DR stack.
 */
import {
  assembleObjectives,
  objectivesMarkdown,
  type ObjectiveRow,
} from "../../components/core/objectives";
import type { PlanContext, PlanExtension, PlanSection } from "../../components/core/plan";
import { PLAN_EXTENSIONS } from "./registry";

/** The table for one stack; `extensions` defaults to the registered areas. */
export function stackObjectives(
  ctx: PlanContext,
  extensions: PlanExtension[] = PLAN_EXTENSIONS,
): ObjectiveRow[] {
  return assembleObjectives(
    extensions.flatMap((e) => e.objectives?.(ctx) ?? []),
    { regionFailover: ctx.outputs.role === "dr" },
  );
}

export function objectivesSection(rows: ObjectiveRow[], ctx: PlanContext): PlanSection {
  const missed = rows.filter((r) => !r.met).length;
  return {
    title: "Recovery objectives (seed 16.2, 16.3)",
    markdown: [
      missed === 0
        ? `Every mechanism meets its target (${rows.length} rows), computed from the synthesised resources.`
        : `**${missed} of ${rows.length} rows missed**, computed from the synthesised resources.`,
      ...(ctx.outputs.role === "dr"
        ? []
        : [
            "",
            "Region failover as a whole is judged in the DR stack's plan: it owns every cross-region link.",
          ]),
      "",
      objectivesMarkdown(rows),
    ].join("\n"),
  };
}
