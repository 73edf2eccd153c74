import { stackRawConfig } from "../harness";

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
  const full = stackRawConfig("primary");
  return { role: "primary", ...Object.fromEntries(REQUIRED_SECTIONS.map((k) => [k, full[k]])) };
}

/** Runs fn and returns the ConfigError it throws (fails when it does not throw). */
export function configErrorOf(fn: () => unknown): {
  problems: { key: string; message: string }[];
  message: string;
} {
  try {
    fn();
  } catch (err) {
    return err as { problems: { key: string; message: string }[]; message: string };
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}
