import type { RecordedResource } from "../../components/core/plan";

/** A resource as the recording mocks would record it, for policy tests that need no synthesis. */
export function recordedResource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return {
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
}
