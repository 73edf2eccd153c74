/**
 * Stack config fixtures shared by the area tests: the real primary config file, parsed or
 * altered one key at a time, a minimal valid config, and the problems a config is refused with.
 */
import { ConfigError, parseStackConfig, type ConfigProblem, type StackConfig } from "../../config";
import { stackRawConfig } from "./stack-config";

export const primaryRaw = () => stackRawConfig("primary");

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

/** Sections whose required keys (certificates, images) the primary file gives and nothing else. */
const REQUIRED_SECTIONS = [
  "environment",
  "region",
  "platform",
  "edge",
  "gateway",
  "workers",
] as const;

/** A minimal valid primary config: required keys only, everything else defaulted. */
export function minimalPrimary(): Record<string, any> {
  const full = primaryRaw();
  return { role: "primary", ...Object.fromEntries(REQUIRED_SECTIONS.map((k) => [k, full[k]])) };
}

/** Runs fn and returns the ConfigError it throws (fails when it throws nothing or another error). */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
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
