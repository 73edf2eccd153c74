/** Everything written for one stack, rendered in the stack's worker (where the areas are loaded). */
import { diffPlans, formatDiff } from "./diff";
import type { PlanContext } from "../../components/core/plan";
import { objectivesText } from "../../components/core/objectives";
import { renderManifests } from "./manifests";
import { objectivesSection, stackObjectives } from "./objectives";
import { renderTopology } from "./topology";
import type { PlanFile } from "./protocol";
import { PLAN_EXTENSIONS } from "./registry";
import { renderSummary } from "./summary";
import { isComponent, renderTree } from "./tree";
import { formatViolation } from "./violations";

export interface RenderedStack {
  /** Files by path relative to out/<stack>/. */
  files: Record<string, string>;
  /** What the terminal shows: headline, tree, outputs, violations, diff. */
  report: string;
}

export function renderStack(plan: PlanFile, earlier?: PlanFile): RenderedStack {
  const diff = earlier ? diffPlans(earlier, plan) : undefined;
  const ctx: PlanContext = {
    stack: plan.stack,
    resources: plan.resources as PlanContext["resources"],
    outputs: plan.outputs,
  };
  const files: Record<string, string> = { "plan.json": `${JSON.stringify(plan, null, 2)}\n` };
  const objectives = stackObjectives(ctx);
  files["summary.md"] = renderSummary(
    plan,
    [
      objectivesSection(objectives, ctx),
      ...PLAN_EXTENSIONS.flatMap((e) => e.sections?.(ctx) ?? []),
    ],
    diff,
    renderTopology(plan, objectives),
  );
  files["objectives.json"] = `${JSON.stringify(objectives, null, 2)}\n`;
  const manifests = renderManifests(plan.resources);
  if (manifests) files["kubernetes/manifests.yaml"] = manifests;
  for (const artifact of PLAN_EXTENSIONS.flatMap((e) => e.artifacts?.(ctx) ?? []))
    files[artifact.path] = artifact.content;

  const report = [
    `\n${plan.stack} (${plan.region}): ${plan.resources.filter((r) => !isComponent(r)).length} resources, policy: ${plan.policy.policies.length} rules, ${plan.policy.violations.length} violation(s)`,
    renderTree(plan.resources),
    objectivesText(objectives),
    `outputs: ${JSON.stringify(plan.outputs, null, 2)}`,
    ...plan.policy.violations.map(formatViolation),
    ...(diff ? [formatDiff(diff)] : []),
  ];
  return { files, report: report.join("\n") };
}
