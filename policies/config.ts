/**
 * The policy pack's config file (`policies/policy-config.json`), read exactly as
 * `pulumi preview --policy-pack policies --policy-pack-config policies/policy-config.json` reads it,
 * so the offline plan enforces what a preview enforces:
 *
 * - keys are rule names, or `all` (an enforcement level for every rule, which a rule's own entry
 *   overrides);
 * - a value is an enforcement level (`"advisory"`) or an object with an optional
 *   `enforcementLevel` and the rule's limits, each checked against the rule's `configSchema`;
 * - a rule's level: its config entry, else `all`, else the rule's own `enforcementLevel`, else
 *   advisory (@pulumi/policy 1.21 server.js: `policyPackConfig[p.name]?.enforcementLevel ||
 *   p.enforcementLevel || policyPackEnforcementLevel`); its limits: the schema's defaults under
 *   the configured values.
 *
 * Stricter than the CLI on purpose: an unknown rule or key is refused (a typo would otherwise
 * leave a rule at its default without a word).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { VegaPolicy } from "./rule";

/** The levels this pack may be configured to (no rule of the pack remediates). */
export const ENFORCEMENT_LEVELS = ["mandatory", "advisory", "disabled"] as const;
export type VegaEnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** Per-rule config as the engine hands it to the analyzer: level plus limits, by rule name. */
export type PolicyConfig = Record<
  string,
  { enforcementLevel?: VegaEnforcementLevel } & Record<string, unknown>
>;

/** The key that sets every rule's level at once. */
export const ALL_RULES_KEY = "all";

export class PolicyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: invalid policy pack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
}

/** A value as the config file would spell it; what JSON cannot spell (NaN, undefined) as is. */
const show = (v: unknown) =>
  typeof v === "number" && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v));

/** The JSON Schema keywords a rule's config property may use: the ones checked below. */
export const SUPPORTED_SCHEMA_KEYWORDS = [
  "type",
  "default",
  "description",
  "minimum",
  "maximum",
  "enum",
] as const;

/** One property of a rule's configSchema (a JSON Schema). */
type PropertySchema = PolicyConfigSchema["properties"][string];

/** Why `value` does not satisfy one property's schema (the subset in SUPPORTED_SCHEMA_KEYWORDS). */
export function schemaProblem(value: unknown, schema: PropertySchema): string | undefined {
  const types = schema.type === undefined ? undefined : [schema.type].flat();
  const isType = (type: string) =>
    type === "integer"
      ? Number.isInteger(value)
      : type === "number"
        ? Number.isFinite(value) // false for anything but a finite number: no coercion
        : type === "array"
          ? Array.isArray(value)
          : type === "null"
            ? value === null
            : typeof value === type && !Array.isArray(value) && value !== null;
  if (types && !types.some(isType)) return `expected ${types.join(" or ")}, got ${show(value)}`;
  if (schema.enum && !schema.enum.some((e) => e === value))
    return `expected one of ${schema.enum.map(show).join(", ")}, got ${show(value)}`;
  if (typeof value === "number") {
    if (value < (schema.minimum ?? -Infinity))
      return `expected at least ${schema.minimum}, got ${value}`;
    if (value > (schema.maximum ?? Infinity))
      return `expected at most ${schema.maximum}, got ${value}`;
  }
  return undefined;
}

function levelProblem(where: string, level: unknown): string | undefined {
  return ENFORCEMENT_LEVELS.includes(level as VegaEnforcementLevel)
    ? undefined
    : `${where}: expected an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}), got ${show(level)}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validates a parsed config file against the rules and resolves it to what each rule gets: its
 * level (after `all`) and its limits. Throws PolicyConfigError with every problem, each naming
 * the rule and key.
 */
export function resolvePolicyConfig(
  raw: unknown,
  policies: readonly VegaPolicy[],
  source = "policy config",
): PolicyConfig {
  if (!isObject(raw)) throw new PolicyConfigError(source, [`expected an object, got ${show(raw)}`]);
  const problems: string[] = [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  const entry = (key: string, value: unknown): Record<string, unknown> | undefined => {
    if (typeof value === "string") {
      const problem = levelProblem(key, value);
      if (problem) problems.push(problem);
      return problem ? undefined : { enforcementLevel: value };
    }
    if (!isObject(value)) {
      problems.push(`${key}: expected an enforcement level or an object, got ${show(value)}`);
      return undefined;
    }
    if (value.enforcementLevel !== undefined) {
      const problem = levelProblem(`${key}.enforcementLevel`, value.enforcementLevel);
      if (problem) problems.push(problem);
    }
    return value;
  };

  const all =
    raw[ALL_RULES_KEY] === undefined ? undefined : entry(ALL_RULES_KEY, raw[ALL_RULES_KEY]);
  for (const key of Object.keys(all ?? {}).filter((k) => k !== "enforcementLevel"))
    problems.push(`${ALL_RULES_KEY}.${key}: only enforcementLevel may be set for all rules`);

  const resolved: PolicyConfig = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === ALL_RULES_KEY) continue;
    const policy = byName.get(name);
    if (!policy) {
      problems.push(`${name}: no rule of this name in the pack`);
      continue;
    }
    const given = entry(name, value);
    if (!given) continue;
    const properties = policy.configSchema?.properties ?? {};
    for (const [key, v] of Object.entries(given)) {
      if (key === "enforcementLevel") continue;
      const schema = properties[key];
      if (!schema) {
        const allowed = Object.keys(properties);
        problems.push(
          `${name}.${key}: unknown key (${allowed.length ? `allowed: enforcementLevel, ${allowed.join(", ")}` : "this rule takes only enforcementLevel"})`,
        );
        continue;
      }
      const problem = schemaProblem(v, schema);
      if (problem) problems.push(`${name}.${key}: ${problem}`);
    }
    resolved[name] = given as PolicyConfig[string];
  }
  for (const policy of policies) {
    for (const key of policy.configSchema?.required ?? [])
      if ((resolved[policy.name] ?? {})[key] === undefined && !hasDefault(policy, key))
        problems.push(`${policy.name}.${key}: required`);
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);

  if (all?.enforcementLevel !== undefined)
    for (const policy of policies)
      resolved[policy.name] = {
        enforcementLevel: all.enforcementLevel as VegaEnforcementLevel,
        ...resolved[policy.name],
      };
  return resolved;
}

function hasDefault(policy: VegaPolicy, key: string): boolean {
  return policy.configSchema?.properties?.[key]?.default !== undefined;
}

/** A rule's limits as getConfig() returns them: schema defaults under the configured values. */
export function limitsOf(policy: VegaPolicy, config: PolicyConfig): Record<string, unknown> {
  const defaults = Object.entries(policy.configSchema?.properties ?? {}).flatMap(([k, s]) =>
    s.default === undefined ? [] : [[k, s.default] as const],
  );
  const { enforcementLevel: _level, ...given } = config[policy.name] ?? {};
  return { ...Object.fromEntries(defaults), ...given };
}

/** A rule's level under a config, as the engine decides it. */
export function levelOf(policy: VegaPolicy, config: PolicyConfig): VegaEnforcementLevel {
  return (config[policy.name]?.enforcementLevel ??
    policy.enforcementLevel ??
    "advisory") as VegaEnforcementLevel;
}
