/**
 * Fixed physical names of the database's AWS objects. The instance identifiers are fixed (not
 * auto-named) because the log groups RDS writes to are named after them, and those must exist,
 * with their retention, before the instance exports logs (or RDS creates them, kept forever).
 */
import { fitName } from "../core";

/** RDS identifiers: at most 63 letters, digits or hyphens, no "--", no trailing hyphen. */
export const RDS_IDENTIFIER_MAX = 63;

/** The log types RDS for PostgreSQL exports (enabledCloudwatchLogsExports). */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

export interface DatabaseNames {
  /** The writer (primary region) or the cross-region replica (DR region). */
  main: string;
  /** The in-region read replica (primary region). */
  replica: string;
  /** A point-in-time restore beside the primary, by the restore block's suffix. */
  restored: (suffix: string) => string;
  /** Final snapshot taken when an instance is deleted. */
  finalSnapshot: (identifier: string) => string;
  /** Log group names RDS writes to for an instance. */
  logGroups: (
    identifier: string,
  ) => { type: (typeof POSTGRES_LOG_EXPORTS)[number]; name: string }[];
}

const rdsIdentifier = (name: string) =>
  fitName(name.toLowerCase().replace(/-{2,}/g, "-"), RDS_IDENTIFIER_MAX).replace(/-+$/, "");

/** Names from the component's name (vega-<env>-<region>-postgres). */
export function databaseNames(base: string): DatabaseNames {
  const main = rdsIdentifier(base);
  return {
    main,
    replica: rdsIdentifier(`${base}-replica`),
    restored: (suffix) => rdsIdentifier(`${base}-${suffix}`),
    finalSnapshot: (identifier) => rdsIdentifier(`${identifier}-final`),
    logGroups: (identifier) =>
      POSTGRES_LOG_EXPORTS.map((type) => ({
        type,
        name: `/aws/rds/instance/${identifier}/${type}`,
      })),
  };
}
