/**
 * The stack's recovery-objectives table as a summary.md section (the table itself:
 * components/region/plan.ts stackObjectives, shared with the policy pack).
 */
import {
  formatSeconds,
  judgesRegionFailover,
  objectivesMarkdown,
  type ObjectiveRow,
} from "../../components/core/objectives";
import type { PlanContext, PlanSection } from "../../components/core/plan";
import { SEED_TARGETS_OUTSIDE_THE_STACKS, type SeedObjective } from "../../config/objectives";

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
      ...outsideTheStackMarkdown(rows),
    ].join("\n"),
  };
}

function targetText(t: SeedObjective): string {
  const parts = [
    t.rpoSeconds === undefined ? undefined : `RPO ${formatSeconds(t.rpoSeconds)}`,
    t.rtoSeconds === undefined ? undefined : `RTO ${formatSeconds(t.rtoSeconds)}`,
  ].filter((p) => p !== undefined);
  return `${t.source} (${parts.join(", ")})`;
}

/** Seed targets no row bounds (no row names them), each with why no resource can. */
export function outsideTheStackMarkdown(rows: ObjectiveRow[]): string[] {
  const judged = new Set(rows.map((r) => r.target.source));
  const outside = SEED_TARGETS_OUTSIDE_THE_STACKS.filter((o) => !judged.has(o.target.source));
  if (outside.length === 0) return [];
  return [
    "",
    "Seed targets no resource here can bound:",
    "",
    ...outside.map((o) => `- ${targetText(o.target)}: ${o.why}.`),
  ];
}
