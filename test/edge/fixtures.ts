/** Stack config fixtures: the real primary config file, parsed or altered one key at a time. */
import { ConfigError, parseStackConfig, rawProjectConfig, type ConfigProblem, type StackConfig } from "../../config";
import * as path from "node:path";
import { readProjectName, readStackFile } from "../../tools/synth/stack-file";

const ROOT = path.resolve(__dirname, "../..");

/** The raw `vega-ha:*` values of a stack file, as the program receives them. */
export function stackRaw(stack: "primary" | "dr"): Record<string, any> {
  const project = readProjectName(path.join(ROOT, "Pulumi.yaml"));
  return rawProjectConfig(readStackFile(path.join(ROOT, `Pulumi.${stack}.yaml`), project).config);
}

export const primaryRaw = () => stackRaw("primary");

/** The primary config with `path` (a.b.c) set to `value` (undefined deletes it). */
export function primaryWith(path: string, value: unknown): Record<string, any> {
  const raw = structuredClone(primaryRaw());
  const keys = path.split(".");
  let node = raw;
  for (const k of keys.slice(0, -1)) node = node[k] ??= {};
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return raw;
}

export function parsedPrimary(raw: Record<string, any> = primaryRaw()): StackConfig {
  return parseStackConfig(raw);
}

/** The problems a config is refused with (none when it parses). */
export function problemsOf(raw: Record<string, any>): ConfigProblem[] {
  try {
    parseStackConfig(raw);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

/** The keys a config is refused on. */
export const refusedKeys = (raw: Record<string, any>) => problemsOf(raw).map((p) => p.key);
