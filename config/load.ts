import { CONFIG_NAMESPACE, ConfigError, configKey, problemsFromIssues } from "./errors";
import { opensearchPlacementProblems } from "./opensearch";
import { roleProblems, stackConfigSchema, type StackConfig } from "./schema";

/**
 * Pulumi hands config values over as strings; structured values (objects, lists) and booleans
 * arrive JSON-encoded. Decode those, leave every other scalar a string so that a wrong type
 * (`"thirty"`) reaches the schema as given.
 */
function decode(value: string): unknown {
  if (/^\s*[[{]/.test(value) || value === "true" || value === "false") {
    try {
      return JSON.parse(value);
    } catch {
      // Not JSON after all: the schema gets it as given, and names the key.
    }
  }
  return value;
}

/**
 * The raw `vega-ha:*` values of a stack's config (`all`: every key, namespaced, as Pulumi hands
 * them to the program), keyed without the namespace.
 */
export function rawProjectConfig(all: Record<string, string>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decode(value);
  }
  return raw;
}

/** Validates config; throws ConfigError listing every problem with its full key. */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
  const parsed = stackConfigSchema.safeParse(raw, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : problemsFromIssues(parsed.error.issues)),
    ...[...roleProblems(raw), ...opensearchPlacementProblems(raw)].map((p) => ({
      key: configKey(p.path),
      message: p.message,
    })),
  ];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/**
 * Validates the running stack's config (`all`: the program passes `pulumi.runtime.allConfig()`;
 * config/ itself does not depend on the Pulumi runtime), before any resource is registered.
 */
export function loadStackConfig(all: Record<string, string>): StackConfig {
  return parseStackConfig(rawProjectConfig(all));
}
