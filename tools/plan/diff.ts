import type { PlanFile, PlanResource } from "./protocol";
import { resourceIdentities } from "./urns";

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
  /** Renamed or re-parented under an alias: the engine moves them in state, nothing is replaced. */
  moved: { from: PlanResource; resource: PlanResource; fields: FieldChange[] }[];
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

const resourceFields = (old: PlanResource, r: PlanResource): FieldChange[] => [
  ...fieldChanges(old.inputs, r.inputs),
  ...fieldChanges(
    { protect: old.protect, region: old.region },
    { protect: r.protect, region: r.region },
  ).map((c) => ({ ...c, path: `(${c.path})` })),
];

/**
 * Resources added, removed, changed (with the changed input fields) and moved between two plans.
 * A resource of the earlier plan that a later one answers to through an alias is moved, not
 * removed and added: `pulumi up` keeps it (tools/plan/urns.ts).
 */
export function diffPlans(earlier: PlanFile, later: PlanFile): PlanDiff {
  const before = new Map(earlier.resources.map((r) => [r.urn, r]));
  const after = new Map(later.resources.map((r) => [r.urn, r]));
  const changed: PlanDiff["changed"] = [];
  for (const [urn, r] of after) {
    const old = before.get(urn);
    if (!old) continue;
    const fields = resourceFields(old, r);
    if (fields.length > 0) changed.push({ resource: r, fields });
  }
  const earlierUrns = resourceIdentities(earlier.resources);
  const unmatchedBefore = new Map(
    [...before.values()].filter((r) => !after.has(r.urn)).map((r) => [earlierUrns.urnOf(r.urn), r]),
  );
  const laterIdentities = resourceIdentities(later.resources);
  const moved: PlanDiff["moved"] = [];
  const added: PlanResource[] = [];
  for (const r of after.values()) {
    if (before.has(r.urn)) continue;
    const identity = [...laterIdentities.identitiesOf(r.urn)].find((u) => unmatchedBefore.has(u));
    if (identity === undefined) {
      added.push(r);
      continue;
    }
    const from = unmatchedBefore.get(identity)!;
    unmatchedBefore.delete(identity);
    moved.push({ from, resource: r, fields: resourceFields(from, r) });
  }
  return { stack: later.stack, added, removed: [...unmatchedBefore.values()], changed, moved };
}

const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));

/** Plain-text rendering for the terminal. */
export function formatDiff(diff: PlanDiff): string {
  const lines = [
    `diff for ${diff.stack}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.moved.length} moved`,
  ];
  for (const r of diff.added) lines.push(`  + ${r.type} ${r.name}`);
  for (const r of diff.removed) lines.push(`  - ${r.type} ${r.name}`);
  for (const { resource, fields } of diff.changed) {
    lines.push(`  ~ ${resource.type} ${resource.name}`);
    for (const f of fields) lines.push(`      ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
  }
  for (const { from, resource, fields } of diff.moved) {
    lines.push(`  > ${from.type} ${from.name} -> ${resource.type} ${resource.name} (alias)`);
    for (const f of fields) lines.push(`      ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
  }
  return lines.join("\n");
}
