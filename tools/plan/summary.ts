import type { PlanDiff } from "./diff";
import type { PlanSection } from "../../components/core/plan";
import type { PlanFile, PlanResource } from "./protocol";
import { descendantCount, isComponent } from "./tree";

const shortType = (type: string) => type.split(":").pop() ?? type;
const mermaidText = (s: string) => s.replace(/"/g, "'");

/**
 * Topology as Mermaid: one subgraph per region, a node per component, and the resources that
 * live outside the stack's own region (the DR stack's links into the primary) as their own nodes.
 */
export function renderMermaid(plan: PlanFile): string {
  const resources = plan.resources;
  const ids = new Map(resources.map((r, i) => [r.urn, `n${i}`]));
  const mermaidId = (urn: string) => ids.get(urn)!;
  const components = resources.filter((r) => isComponent(r) && r.type !== "pulumi:pulumi:Stack");
  const foreign = resources.filter((r) => r.region && plan.region && r.region !== plan.region);
  const lines = ["flowchart LR"];
  lines.push(`  subgraph home["${plan.stack}: ${plan.region ?? "?"}"]`);
  for (const c of components)
    lines.push(
      `    ${mermaidId(c.urn)}["${mermaidText(shortType(c.type))}<br/>${mermaidText(c.name)}"]`,
    );
  lines.push("  end");
  const byRegion = new Map<string, PlanResource[]>();
  for (const r of foreign) byRegion.set(r.region!, [...(byRegion.get(r.region!) ?? []), r]);
  for (const [region, list] of byRegion) {
    lines.push(`  subgraph ${region.replace(/-/g, "_")}["${region} (other region)"]`);
    for (const r of list)
      lines.push(
        `    ${mermaidId(r.urn)}["${mermaidText(shortType(r.type))}<br/>${mermaidText(r.name)}"]`,
      );
    lines.push("  end");
  }
  const shown = new Set([...components, ...foreign].map((r) => r.urn));
  for (const r of [...components, ...foreign]) {
    if (r.parent && shown.has(r.parent))
      lines.push(`  ${mermaidId(r.parent)} --> ${mermaidId(r.urn)}`);
  }
  return lines.join("\n");
}

function countsByType(resources: PlanResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) if (!isComponent(r)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}

function flatten(value: unknown, prefix = ""): [string, unknown][] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

function diffMarkdown(diff: PlanDiff): string {
  const lines = [
    `**${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.moved.length} moved**`,
    "",
  ];
  for (const r of diff.added) lines.push(`- ➕ \`${r.type}\` ${r.name}`);
  for (const r of diff.removed) lines.push(`- ➖ \`${r.type}\` ${r.name}`);
  for (const { resource, fields } of diff.changed) {
    lines.push(
      `- ✏️ \`${resource.type}\` ${resource.name}: ${fields.map((f) => `\`${f.path}\` ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`).join("; ")}`,
    );
  }
  for (const { from, resource, fields } of diff.moved) {
    const changes = fields.map(
      (f) => `\`${f.path}\` ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`,
    );
    lines.push(
      `- 🔀 \`${from.type}\` ${from.name} → \`${resource.type}\` ${resource.name} (alias: moved in state, not replaced)${changes.length > 0 ? `: ${changes.join("; ")}` : ""}`,
    );
  }
  return lines.join("\n");
}

/** summary.md: what a reviewer reads in the pull request. */
export function renderSummary(
  plan: PlanFile,
  sections: PlanSection[],
  diff?: PlanDiff,
  topology?: string,
): string {
  const root = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const total = plan.resources.filter((r) => !isComponent(r)).length;
  const components = plan.resources.filter(
    (r) => isComponent(r) && r.type !== "pulumi:pulumi:Stack",
  );
  const violations = plan.policy.violations;
  const out: string[] = [
    `## vega-ha offline plan: \`${plan.stack}\` (${plan.region ?? "?"})`,
    "",
    `${total} resources in ${components.length} components; policy pack: ${plan.policy.policies.length} rules, ${violations.length === 0 ? "no violations ✅" : `**${violations.length} violations** ❌`}.`,
    "",
    ...(topology
      ? ["### Topology", "", "```mermaid", topology, "```", "", "### Component tree", ""]
      : []),
    "```mermaid",
    renderMermaid(plan),
    "```",
    "",
    "### Components",
    "",
    "| component | type | resources |",
    "|---|---|---:|",
    ...components.map(
      (c) => `| ${c.name} | \`${c.type}\` | ${descendantCount(plan.resources, c)} |`,
    ),
    ...(root ? [`| **total** | | **${total}** |`] : []),
    "",
    "<details><summary>Resources by type</summary>",
    "",
    "| type | count |",
    "|---|---:|",
    ...countsByType(plan.resources).map(([t, n]) => `| \`${t}\` | ${n} |`),
    "",
    "</details>",
    "",
    "### Stack outputs",
    "",
    "| output | value |",
    "|---|---|",
    ...flatten(plan.outputs).map(([k, v]) => `| \`${k}\` | \`${JSON.stringify(v)}\` |`),
    "",
    "### Policy report",
    "",
    ...(violations.length === 0
      ? [`All ${plan.policy.policies.length} rules pass.`]
      : [
          "| rule | level | resource | message | remedy |",
          "|---|---|---|---|---|",
          ...violations.map(
            (v) =>
              `| ${v.policy} | ${v.enforcementLevel} | ${v.urn?.split("::").pop() ?? "(stack)"} | ${v.message} | ${v.remedy ?? ""} |`,
          ),
        ]),
    "",
  ];
  for (const s of sections) out.push(`### ${s.title}`, "", s.markdown, "");
  if (diff) out.push("### Changes against the earlier plan", "", diffMarkdown(diff), "");
  return out.join("\n");
}
