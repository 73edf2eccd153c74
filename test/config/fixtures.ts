import { parse } from "yaml";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "../harness";

/** The `vega-ha:` values of a real stack file, keyed without the namespace (as the loader sees them decoded). */
export function stackFileValues(stack: "primary" | "dr"): Record<string, any> {
  const doc = parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).filter(([k]) => k.startsWith("vega-ha:")).map(([k, v]) => [k.slice("vega-ha:".length), v]));
}

/** Sections whose required keys (certificates, images) the primary file gives and nothing else. */
const REQUIRED_SECTIONS = ["environment", "region", "platform", "edge", "gateway", "workers"] as const;

/** A minimal valid primary config: required keys only, everything else defaulted. */
export function minimalPrimary(): Record<string, any> {
  const full = stackFileValues("primary");
  return { role: "primary", ...Object.fromEntries(REQUIRED_SECTIONS.map((k) => [k, full[k]])) };
}

/** Runs fn and returns the ConfigError it throws (fails when it does not throw). */
export function configErrorOf(fn: () => unknown): { problems: { key: string; message: string }[]; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { problems: { key: string; message: string }[]; message: string };
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}
