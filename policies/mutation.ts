/**
 * Mutations: how each rule is proven on the real stacks. A mutation is a pure function over a
 * stack's recorded resources that breaks exactly one property a rule guards, on the recorded
 * inputs (and plainInputs, what the rule reads). test/policies/mutations.test.ts applies each
 * one, alone, to the synthesised primary, DR and promoted-DR stacks and checks that its rule, and
 * no other (but those it declares in alsoReportedBy), newly reports. Every rule declares at least one; a rule with several conditions
 * declares one per condition, so no condition can be deleted unnoticed.
 */
import type { RecordedResource, ResourceProps } from "../components/core/plan";
import type { VegaPolicy } from "./rule";

export interface PolicyMutation {
  /** The rule that must report the mutation, and the only one that may. */
  rule: VegaPolicy;
  /**
   * Rules that report the same broken property by design, beside `rule`: an aggregate rule over
   * a dedicated one (vega-objectives-met reports a snapshot schedule past its seed RPO that a
   * schedule rule guards too). The mutation is caught when exactly `rule` and these report.
   * Default none.
   */
  alsoReportedBy?: VegaPolicy[];
  /** What the mutation breaks, said plainly (printed in the score table). */
  breaks: string;
  /**
   * The stack's resources with that one thing broken (a new array; the input is never touched),
   * or undefined when the stack holds nothing it applies to (e.g. no replication link in the
   * primary).
   */
  apply(resources: readonly RecordedResource[]): RecordedResource[] | undefined;
}

/** Which resource a mutation changes: the first of a type that matches `where`. */
export interface Target {
  type: string;
  where?: (r: RecordedResource) => boolean;
}

/** One view of the resources: their inputs (secrets "[secret]") or plainInputs (secrets plain). */
export type View = (r: RecordedResource) => ResourceProps;

/** Resources whose name ends with `suffix`. */
export const named =
  (suffix: string) =>
  (r: RecordedResource): boolean =>
    r.name.endsWith(suffix);

/** Resources inside a component of type `componentType` (its type token appears in the URN). */
export const inside =
  (componentType: string) =>
  (r: RecordedResource): boolean =>
    r.urn.includes(`${componentType}$`);

function find(resources: readonly RecordedResource[], target: Target) {
  return resources.findIndex((r) => r.type === target.type && (target.where?.(r) ?? true));
}

/**
 * Edits the target's inputs and plainInputs alike (`edit` gets each, and the view it belongs to,
 * to read other resources in the same view, e.g. a Secret's value). Undefined when no target.
 */
export function editInputs(
  target: Target,
  edit: (props: ResourceProps, view: View) => void,
): PolicyMutation["apply"] {
  return (resources) => {
    const at = find(resources, target);
    if (at < 0) return undefined;
    const changed = structuredClone(resources[at]!);
    edit(changed.inputs as ResourceProps, (r) => r.inputs as ResourceProps);
    // A resource without secrets may share one object for both views (structuredClone keeps
    // that): edit it once.
    if (changed.plainInputs !== changed.inputs)
      edit(changed.plainInputs as ResourceProps, (r) => r.plainInputs as ResourceProps);
    return resources.map((r, i) => (i === at ? changed : r));
  };
}

/** Changes the target's recorded options (protect, provider). */
export function editResource(
  target: Target,
  change: (r: RecordedResource) => Partial<RecordedResource>,
): PolicyMutation["apply"] {
  return (resources) => {
    const at = find(resources, target);
    if (at < 0) return undefined;
    const changed = { ...structuredClone(resources[at]!), ...change(resources[at]!) };
    return resources.map((r, i) => (i === at ? changed : r));
  };
}

/** Leaves the target out of the stack, as if its component no longer declared it. */
export function removeResource(target: Target): PolicyMutation["apply"] {
  return (resources) => {
    const at = find(resources, target);
    return at < 0 ? undefined : resources.filter((_, i) => i !== at);
  };
}

/** The pod spec of a workload's inputs (Deployment, StatefulSet). */
export const podSpec = (props: ResourceProps): ResourceProps => props.spec.template.spec;
