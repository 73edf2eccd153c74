/**
 * The logical-backup scripts: real files in ./scripts (shellcheck-clean, run by the live drill),
 * shipped to the CronJob's pod in a ConfigMap and written by the offline plan.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The files of the ConfigMap, by name. lib.sh is sourced by the others. */
export const SCRIPT_FILES = [
  "lib.sh",
  "backup.sh",
  "upload.sh",
  "restore.sh",
  "validate.sh",
] as const;

/** Where the pod mounts them. */
export const SCRIPTS_MOUNT = "/opt/vega-pg";

export const SCRIPTS_SOURCE_DIR = path.join(__dirname, "scripts");

/** The scripts' contents, read from the repository. */
export function logicalBackupScripts(): Record<string, string> {
  return Object.fromEntries(
    SCRIPT_FILES.map((f) => [f, readFileSync(path.join(SCRIPTS_SOURCE_DIR, f), "utf8")]),
  );
}
