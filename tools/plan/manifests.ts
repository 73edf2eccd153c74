import { stringify } from "yaml";
import type { PlanResource } from "./protocol";

/** The fields kubectl prints first, in its order; the rest follow as registered. */
const LEADING_FIELDS = ["apiVersion", "kind", "metadata"];

/** The Kubernetes objects of a plan: every kubernetes: resource that has a kind. */
export function kubernetesObjects(resources: PlanResource[]): PlanResource[] {
  return resources.filter((r) => r.type.startsWith("kubernetes:") && r.inputs.kind !== undefined);
}

/**
 * Kubernetes objects as they would be applied: one YAML document per resource. An object without
 * `metadata.name` would get a random suffix from Pulumi's auto-naming, so the file could not be
 * applied as written: the plan refuses it.
 */
export function renderManifests(resources: PlanResource[]): string {
  const objects = kubernetesObjects(resources);
  const nameless = objects.filter(
    (r) => typeof (r.inputs.metadata as { name?: unknown } | undefined)?.name !== "string",
  );
  if (nameless.length > 0)
    throw new Error(
      `Kubernetes objects without metadata.name (Pulumi would auto-name them): ${nameless
        .map((r) => `${r.name} (${r.inputs.kind})`)
        .join(", ")}`,
    );
  return objects
    .map((r) => {
      const ordered = Object.fromEntries([
        ...LEADING_FIELDS.filter((k) => k in r.inputs).map((k) => [k, r.inputs[k]]),
        ...Object.entries(r.inputs).filter(([k]) => !LEADING_FIELDS.includes(k)),
      ]);
      return `# ${r.name}\n${stringify(ordered, { sortMapEntries: false })}`;
    })
    .join("---\n");
}
