import type { PlanResource } from "./protocol";

const COMPONENT = /^(vega:|pulumi:pulumi:Stack$)/;

export const isComponent = (r: Pick<PlanResource, "type">) => COMPONENT.test(r.type);

/** Resources under `root` (itself excluded), counted through nested components. */
export function descendantCount(resources: PlanResource[], root: PlanResource): number {
  const children = resources.filter((r) => r.parent === root.urn);
  return children.reduce((n, c) => n + 1 + descendantCount(resources, c), 0);
}

function label(r: PlanResource, resources: PlanResource[]): string {
  if (isComponent(r)) return `${r.name}  ${r.type}  (${descendantCount(resources, r)} resources)`;
  const flags = [
    r.region,
    r.protect ? "protected" : undefined,
    r.retainOnDelete ? "retained on delete" : undefined,
  ].filter(Boolean);
  return `${r.type}  ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`;
}

/**
 * The resource tree, grouped by component: components first (with the number of resources
 * beneath them), then the component's own resources.
 */
export function renderTree(resources: PlanResource[]): string {
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (!root) return "(no stack resource)";
  const lines = [label(root, resources)];
  const walk = (parent: PlanResource, indent: string) => {
    const children = resources
      .filter((r) => r.parent === parent.urn)
      .sort(
        (a, b) =>
          Number(isComponent(b)) - Number(isComponent(a)) ||
          a.type.localeCompare(b.type) ||
          a.name.localeCompare(b.name),
      );
    children.forEach((c, i) => {
      const last = i === children.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${label(c, resources)}`);
      walk(c, `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(root, "");
  return lines.join("\n");
}
