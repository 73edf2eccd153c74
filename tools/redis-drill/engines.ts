/** The programs the drill runs: Debian's redis-server and redis-sentinel, and what the script calls. */
import { spawnSync } from "node:child_process";

export const DRILL_PROGRAMS = [
  "redis-server",
  "redis-sentinel",
  "redis-cli",
  "timeout",
  "awk",
] as const;

/** Programs of DRILL_PROGRAMS not on PATH. */
export function missingPrograms(): string[] {
  return DRILL_PROGRAMS.filter(
    (p) => spawnSync("sh", ["-c", `command -v ${p}`], { stdio: "ignore" }).status !== 0,
  );
}
