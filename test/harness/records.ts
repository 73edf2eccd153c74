import type { PlanContext, RecordedResource } from "../../components/core/plan";

/**
 * A resource as the recording mocks would record it, for policy tests that need no synthesis. It
 * holds no secret, so the rules see exactly its inputs (`plainInputs`), as the engine would.
 */
export function recordedResource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  const recorded = {
    urn: `urn:pulumi:test::vega-ha::${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    inputs,
    secretPaths: [],
    ...extra,
  };
  return { ...recorded, plainInputs: extra.plainInputs ?? recorded.inputs };
}

/** What a plan extension is handed for `resources` (no stack outputs). */
export function planContext(resources: RecordedResource[], stack = "test"): PlanContext {
  return { stack, resources, outputs: {} };
}
