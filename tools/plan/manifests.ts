import { stringify } from "yaml";
import type { PlanResource } from "./protocol";

/** Kubernetes objects as they would be applied: one YAML document per resource. */
export function renderManifests(resources: PlanResource[]): string {
  return resources
    .filter((r) => r.type.startsWith("kubernetes:") && r.inputs.kind !== undefined)
    .map((r) => `# ${r.name}\n${stringify(r.inputs, { sortMapEntries: false })}`)
    .join("---\n");
}
