import type { PlanFile, PlanResource } from "./protocol";

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface PlanDiff {
  stack: string;
  added: PlanResource[];
  removed: PlanResource[];
  changed: { resource: PlanResource; fields: FieldChange[] }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Leaf-level differences between two values, as dotted paths (lists compared by index). */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      changes.push(...fieldChanges(before[i], after[i], `${path}[${i}]`));
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: path || "(root)", before, after }];
}

/** Resources added, removed and changed (with the changed input fields) between two plans. */
export function diffPlans(earlier: PlanFile, later: PlanFile): PlanDiff {
  const before = new Map(earlier.resources.map((r) => [r.urn, r]));
  const after = new Map(later.resources.map((r) => [r.urn, r]));
  const changed: PlanDiff["changed"] = [];
  for (const [urn, r] of after) {
    const old = before.get(urn);
    if (!old) continue;
    const fields = [
      ...fieldChanges(old.inputs, r.inputs),
      ...fieldChanges(
        { protect: old.protect, region: old.region },
        { protect: r.protect, region: r.region },
      ).map((c) => ({ ...c, path: `(${c.path})` })),
    ];
    if (fields.length > 0) changed.push({ resource: r, fields });
  }
  return {
    stack: later.stack,
    added: [...after.values()].filter((r) => !before.has(r.urn)),
    removed: [...before.values()].filter((r) => !after.has(r.urn)),
    changed,
  };
}

const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));

/** Plain-text rendering for the terminal. */
export function formatDiff(diff: PlanDiff): string {
  const lines = [
    `diff for ${diff.stack}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
  ];
  for (const r of diff.added) lines.push(`  + ${r.type} ${r.name}`);
  for (const r of diff.removed) lines.push(`  - ${r.type} ${r.name}`);
  for (const { resource, fields } of diff.changed) {
    lines.push(`  ~ ${resource.type} ${resource.name}`);
    for (const f of fields) lines.push(`      ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
  }
  return lines.join("\n");
}
