import type { z } from "zod";

/** The project's config namespace: every key in Pulumi.<stack>.yaml that we own starts with it. */
export const CONFIG_NAMESPACE = "vega-ha";

/** One problem with the stack config, named by its full key. */
export interface ConfigProblem {
  /** Full key, e.g. `vega-ha:backup.retention.metadataDailyDays`. */
  key: string;
  /** What is allowed and what was given. */
  message: string;
}

/** Thrown before any resource is registered; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  ${p.key}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export function configKey(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return `${CONFIG_NAMESPACE}:`;
  return `${CONFIG_NAMESPACE}:${head}${rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join("")}`;
}

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Turns zod issues (parsed with `reportInput: true`) into problems naming their full key. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        problems.push({
          key: configKey([...issue.path, k]),
          message: "unknown key (check the spelling; see the README's config reference)",
        });
      }
      continue;
    }
    const input = (issue as { input?: unknown }).input;
    const missing = input === undefined && issue.code === "invalid_type";
    problems.push({
      key: configKey(issue.path),
      message: missing ? `required, ${issue.message}` : `${issue.message}, got ${shown(input)}`,
    });
  }
  return problems;
}
