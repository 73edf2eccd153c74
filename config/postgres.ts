/**
 * Metadata database config: RDS for PostgreSQL (seed 16.1 "Metadata (PG)", 16.2 the two PG rows,
 * 16.3 metadata_recovery, 17.1 "PostgreSQL Primary + Replica"). Retention of the daily pg_dump
 * files is `backup.retention.metadataDailyDays` (one key, the vault's lifecycle reads it too).
 * Cross-key rules live in `postgresSettingsProblems`, shared by the schema and the component.
 */
import { z } from "zod";
import { SEED_BACKUP_RETENTION } from "./backup";
import {
  bool,
  integer,
  list,
  logRetentionDays,
  matching,
  refuse,
  section,
  slug,
  strict,
  text,
} from "./types";

/**
 * Seed 16.2 "WAL 归档, 实时, 7天": RDS automated backups (snapshots + WAL every 5 min) are kept
 * this many days; point-in-time recovery reaches back as far. The schema refuses less.
 */
export const SEED_WAL_RETENTION_DAYS = SEED_BACKUP_RETENTION.walArchiveDays;

/**
 * Engine major version. RDS for PostgreSQL 17 is in standard support (17.7 is the minor RDS
 * moved 17.1-17.4 to in 2026); the parameter group family follows it (`postgres17`).
 */
export const DEFAULT_ENGINE_MAJOR = 17;
/** Majors RDS still offers for new instances (14 reaches end of standard support first). */
export const SUPPORTED_ENGINE_MAJORS = [14, 15, 16, 17] as const;

/** Daily pg_dump start, UTC (seed 16.2 每日). Before the backup window, outside maintenance. */
export const DEFAULT_LOGICAL_BACKUP_START = "01:00";
/** RDS automated backup window, UTC (at least 30 minutes, AWS). */
export const DEFAULT_BACKUP_WINDOW = "03:00-03:30";
/** RDS weekly maintenance window, UTC; must not overlap the backup window (AWS refuses). */
export const DEFAULT_MAINTENANCE_WINDOW = "sun:04:00-sun:05:00";
/** The longest a pg_dump run may take (Job activeDeadlineSeconds). */
export const DEFAULT_LOGICAL_BACKUP_DEADLINE_SECONDS = 3600;
/** Performance Insights retention in days: 7 is the free tier. */
export const FREE_PERFORMANCE_INSIGHTS_DAYS = 7;

const hhmm = "([01]\\d|2[0-3]):[0-5]\\d";
const day = "(mon|tue|wed|thu|fri|sat|sun)";
const DAILY_WINDOW = new RegExp(`^${hhmm}-${hhmm}$`);
const WEEKLY_WINDOW = new RegExp(`^${day}:${hhmm}-${day}:${hhmm}$`);
const UTC_TIME = new RegExp(`^${hhmm}$`);

const rdsName = (what: string, max: number) =>
  matching(
    new RegExp(`^[a-z][a-z0-9_]{0,${max - 1}}$`),
    `${what}: a lower-case name of at most ${max} letters, digits or underscores`,
  );

const restoreSchema = strict({
  /**
   * The time (UTC, ISO 8601, e.g. 2026-12-01T09:30:00Z) to restore to; within the automated
   * backups' retention. Exactly one of this and useLatestRestorableTime.
   */
  time: matching(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
    "a UTC time such as 2026-12-01T09:30:00Z",
  ).optional(),
  /** Restore to the latest restorable time (about 5 minutes ago). Default false. */
  useLatestRestorableTime: bool().default(false),
  /** Suffix of the restored instance's identifier, e.g. "drill-1201". Required. */
  suffix: slug(20),
}).superRefine((r, ctx) => {
  if ((r.time === undefined) === !r.useLatestRestorableTime)
    refuse(
      ctx,
      ["time"],
      r.time,
      "expected exactly one of restore.time and restore.useLatestRestorableTime: true",
    );
});

export const postgresSchema = section({
  /** Create the metadata database in this region. Default true. */
  enabled: bool().default(true),
  /** PostgreSQL major version. Default 17 (parameter group family postgres17). */
  engineMajorVersion: integer(SUPPORTED_ENGINE_MAJORS[0], 17).default(DEFAULT_ENGINE_MAJOR),
  /** Instance class of the primary and the replicas. Default db.r6g.large. */
  instanceClass: matching(
    /^db\.[a-z0-9]+\.[a-z0-9]+$/,
    "an RDS class such as db.r6g.large",
  ).default("db.r6g.large"),
  /**
   * `max_connections` in the parameter group (static: applied at the next reboot). Default: not
   * set, RDS's own default LEAST({DBInstanceClassMemory/9531392}, 5000); the connections alarm is
   * then sized from the class's memory (rdsDefaultMaxConnections). Set it for an exact alarm, or
   * for a class that table does not know.
   */
  maxConnections: integer(6, 262_143).optional(),
  /** gp3 storage, GiB (gp3 below 400 GiB has the 3000 IOPS baseline). Default 100. */
  allocatedStorageGiB: integer(20, 65_536).default(100),
  /** Storage autoscaling ceiling, GiB; at least 10 % above allocatedStorageGiB (RDS). Default 500. */
  maxAllocatedStorageGiB: integer(20, 65_536).default(500),
  /** Database the application uses. Default "vega_metadata". */
  databaseName: rdsName("a database name", 63).default("vega_metadata"),
  /** Master user (its password is managed by RDS in Secrets Manager). Default "vega_admin". */
  masterUsername: rdsName("a user name", 16).default("vega_admin"),
  /** Port. Default 5432. */
  port: integer(1150, 65_535).default(5432),
  /**
   * Days of automated backups (point-in-time recovery). Default 7; at least 7 (seed 16.2 WAL
   * archive row: kept 7 days, RPO 5 min).
   */
  backupRetentionDays: integer(SEED_WAL_RETENTION_DAYS, 35).default(SEED_WAL_RETENTION_DAYS),
  /** Daily automated backup window, UTC, hh:mm-hh:mm, at least 30 minutes. Default 03:00-03:30. */
  backupWindow: matching(DAILY_WINDOW, "a UTC window such as 03:00-03:30").default(
    DEFAULT_BACKUP_WINDOW,
  ),
  /** Weekly maintenance window, UTC, ddd:hh:mm-ddd:hh:mm. Default sun:04:00-sun:05:00. */
  maintenanceWindow: matching(WEEKLY_WINDOW, "a UTC window such as sun:04:00-sun:05:00").default(
    DEFAULT_MAINTENANCE_WINDOW,
  ),
  /**
   * Performance Insights retention, days: 7 (free), 31 × n months (n = 1..23) or 731, the values
   * RDS accepts (its API reference, PerformanceInsightsRetentionPeriod; 94 is refused). Default 7.
   */
  performanceInsightsRetentionDays: integer(7, 731)
    .refine((d) => d === 7 || d === 731 || d % 31 === 0, {
      error: () => "expected 7, 31 × months (1 to 23) or 731",
    })
    .default(FREE_PERFORMANCE_INSIGHTS_DAYS),
  /** Retention of the exported PostgreSQL logs in CloudWatch, days. Default 30. */
  logRetentionDays: logRetentionDays().default(30),
  /** Statements slower than this are logged (log_min_duration_statement), ms. Default 1000. */
  slowStatementMs: integer(1, 3_600_000).default(1000),
  /** `rds.logical_replication` (needed by CDC consumers; costs WAL). Default false. */
  logicalReplication: bool().default(false),
  /** An in-region read replica beside the Multi-AZ primary. Default true. */
  inRegionReplica: bool().default(true),
  /**
   * Security groups allowed to connect (the cluster nodes'). Default: edge.targetSecurityGroupId,
   * the nodes' cluster security group the pods use.
   */
  clientSecurityGroupIds: list(
    matching(/^sg-[0-9a-f]{8,17}$/, "a security group id such as sg-0a1b2c3d"),
    1,
    "a list of security group ids",
  ).optional(),
  roles: section({
    /**
     * Manage database, roles, grants and extensions with @pulumi/postgresql. Needs a network
     * path from the machine running `pulumi up` to the database (README). Default false.
     */
    manage: bool().default(false),
  }),
  logicalBackup: section({
    /** Run the daily pg_dump CronJob (primary, and a promoted DR). Default true. */
    enabled: bool().default(true),
    /** Daily start, UTC hh:mm. Default 01:00: done before the 03:00 backup window. */
    startUtc: matching(UTC_TIME, "a UTC time such as 01:00").default(DEFAULT_LOGICAL_BACKUP_START),
    /** Longest run, seconds (Job activeDeadlineSeconds). Default 3600. */
    deadlineSeconds: integer(300, 6 * 3600).default(DEFAULT_LOGICAL_BACKUP_DEADLINE_SECONDS),
    /** Image with pg_dump of the engine's major. Default postgres:17.7-bookworm. */
    image: text("an image reference").default("postgres:17.7-bookworm"),
    /** Image with the AWS CLI for the upload. Default amazon/aws-cli:2.22.35. */
    uploaderImage: text("an image reference").default("amazon/aws-cli:2.22.35"),
  }),
  /** Point-in-time restore of the primary into a new instance beside it (drills, 16.3). */
  restore: restoreSchema.optional(),
}).superRefine((p, ctx) => {
  if (p.maxConnections === undefined && instanceClassMemoryGiB(p.instanceClass) === undefined)
    refuse(
      ctx,
      ["instanceClass"],
      p.instanceClass,
      `${p.instanceClass}: its memory is not known here (${KNOWN_CLASSES_HINT}), and the connections alarm is sized from it; use such a class, or set postgres.maxConnections (the parameter group then sets max_connections and the alarm uses it)`,
    );
  for (const problem of postgresSettingsProblems(p))
    refuse(ctx, problem.path, problem.input, problem.message);
});

export type PostgresConfig = z.infer<typeof postgresSchema>;

/**
 * Memory per vCPU, GiB, of the RDS instance class families PostgreSQL instances run on (AWS,
 * "Hardware specifications for DB instance classes"): general purpose m* 4, memory optimized
 * r* 8, x2g 16. A size has 2 vCPUs (large), 4 (xlarge) or 4 × N (Nxlarge).
 */
const GIB_PER_VCPU: Record<string, number> = {
  ...Object.fromEntries(
    ["m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m6idn", "m6in", "m7g", "m7i", "m8g"].map((f) => [
      f,
      4,
    ]),
  ),
  ...Object.fromEntries(
    ["r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r6idn", "r6in", "r7g", "r7i", "r8g"].map(
      (f) => [f, 8],
    ),
  ),
  x2g: 16,
};
/**
 * Burstable t3 and t4g, GiB by size. Not micro (1 GiB) and small (2 GiB): RDS keeps a large
 * share of so little memory for itself, so an alarm sized from it would sit near or above the
 * real limit (set maxConnections there).
 */
const BURSTABLE_GIB: Record<string, number> = { medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
const KNOWN_CLASSES_HINT =
  "db.<family>.<size> for the families " +
  [...Object.keys(GIB_PER_VCPU), "t3", "t4g"].join(", ") +
  "; sizes large, xlarge, <N>xlarge (t3/t4g: medium to 2xlarge)";

/** The memory of an RDS instance class, GiB, or undefined for a class not covered above. */
export function instanceClassMemoryGiB(instanceClass: string): number | undefined {
  const [db, family, size, ...rest] = instanceClass.split(".");
  if (db !== "db" || !family || !size || rest.length > 0) return undefined;
  if (family === "t3" || family === "t4g") return BURSTABLE_GIB[size];
  const perVcpu = GIB_PER_VCPU[family];
  const n = /^(\d*)xlarge$/.exec(size);
  const vcpus = size === "large" ? 2 : n ? 4 * Number(n[1] || 1) : undefined;
  return perVcpu && vcpus ? perVcpu * vcpus : undefined;
}

/**
 * RDS for PostgreSQL's default max_connections: LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (AWS RDS User Guide, "Quotas and constraints", Maximum number of database connections).
 * DBInstanceClassMemory is the class's memory less what RDS keeps for the operating system and
 * its own processes (same page: "smaller than the value in gibibytes (GiB) shown in Hardware
 * specifications"), so this figure, from the class's memory, is an upper bound: an alarm at a
 * share of it fires at a slightly higher share of the real limit. Throws, naming the key, for a
 * class of unknown memory (the config refuses that combination already).
 */
export function rdsDefaultMaxConnections(instanceClass: string): number {
  const gib = instanceClassMemoryGiB(instanceClass);
  if (gib === undefined)
    throw new Error(
      `vega-ha:postgres.instanceClass: ${instanceClass}: memory unknown (${KNOWN_CLASSES_HINT}); set vega-ha:postgres.maxConnections`,
    );
  return Math.min(Math.floor((gib * 1024 ** 3) / 9_531_392), 5000);
}

/** max_connections of the instances: the configured one, else RDS's default for the class. */
export function postgresMaxConnections(
  s: Pick<PostgresConfig, "instanceClass" | "maxConnections">,
): number {
  return s.maxConnections ?? rdsDefaultMaxConnections(s.instanceClass);
}

/** A window in minutes of the week: [start, end), end may pass the week's end. */
export interface WeekWindow {
  start: number;
  end: number;
}

const WEEK = 7 * 24 * 60;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** "hh:mm-hh:mm" (every day) as seven weekly windows. */
export function dailyWindows(window: string): WeekWindow[] {
  const [from, to] = window.split("-") as [string, string];
  const length = (minutesOf(to) - minutesOf(from) + 24 * 60) % (24 * 60);
  return DAYS.map((_, d) => ({
    start: d * 24 * 60 + minutesOf(from),
    end: d * 24 * 60 + minutesOf(from) + length,
  }));
}

/** "ddd:hh:mm-ddd:hh:mm" as one weekly window. */
export function weeklyWindow(window: string): WeekWindow {
  const [from, to] = window.split("-") as [string, string];
  const at = (s: string) => DAYS.indexOf(s.slice(0, 3)) * 24 * 60 + minutesOf(s.slice(4));
  const start = at(from);
  const length = (at(to) - start + WEEK) % WEEK;
  return { start, end: start + length };
}

/** Whether two weekly windows share a minute (wrapping over the week's end). */
export function windowsOverlap(a: WeekWindow, b: WeekWindow): boolean {
  return [-WEEK, 0, WEEK].some((shift) => a.start < b.end + shift && b.start + shift < a.end);
}

/** The pg_dump runs as weekly windows: start to start + deadline, every day. */
export function logicalBackupWindows(startUtc: string, deadlineSeconds: number): WeekWindow[] {
  return DAYS.map((_, d) => {
    const start = d * 24 * 60 + minutesOf(startUtc);
    return { start, end: start + Math.ceil(deadlineSeconds / 60) };
  });
}

export interface PostgresSettingsProblem {
  /** Path under `postgres`. */
  path: string[];
  input: unknown;
  message: string;
}

type RuleInputs = Pick<
  PostgresConfig,
  | "allocatedStorageGiB"
  | "maxAllocatedStorageGiB"
  | "backupWindow"
  | "maintenanceWindow"
  | "logicalBackup"
>;

/** Combinations RDS refuses, or that would let the pg_dump collide with RDS's own work. */
export function postgresSettingsProblems(p: RuleInputs): PostgresSettingsProblem[] {
  const problems: PostgresSettingsProblem[] = [];
  // AWS RDS User Guide, "Managing capacity automatically with Amazon RDS storage autoscaling":
  // the maximum storage threshold must be at least 10 % more than the allocated storage (RDS
  // refuses equal ones: "Max storage size must be greater than storage size"). In integers.
  if (p.maxAllocatedStorageGiB * 10 < p.allocatedStorageGiB * 11)
    problems.push({
      path: ["maxAllocatedStorageGiB"],
      input: p.maxAllocatedStorageGiB,
      message: `expected at least 10 % more than allocatedStorageGiB ${p.allocatedStorageGiB}, i.e. ${Math.ceil((p.allocatedStorageGiB * 11) / 10)} or more (RDS refuses a smaller autoscaling ceiling)`,
    });
  // zod runs this refinement even when a window failed its pattern (reported there): the
  // windows are only compared once all three read as windows.
  if (
    !DAILY_WINDOW.test(p.backupWindow) ||
    !WEEKLY_WINDOW.test(p.maintenanceWindow) ||
    !UTC_TIME.test(p.logicalBackup.startUtc)
  )
    return problems;
  const backup = dailyWindows(p.backupWindow);
  // AWS: the backup window must be at least 30 minutes and must not overlap maintenance.
  if (backup[0]!.end - backup[0]!.start < 30)
    problems.push({
      path: ["backupWindow"],
      input: p.backupWindow,
      message: "expected a window of at least 30 minutes (RDS refuses shorter)",
    });
  const maintenance = weeklyWindow(p.maintenanceWindow);
  if (maintenance.end - maintenance.start < 30)
    problems.push({
      path: ["maintenanceWindow"],
      input: p.maintenanceWindow,
      message: "expected a window of at least 30 minutes (RDS refuses shorter)",
    });
  if (backup.some((w) => windowsOverlap(w, maintenance)))
    problems.push({
      path: ["maintenanceWindow"],
      input: p.maintenanceWindow,
      message: `expected no overlap with backupWindow ${p.backupWindow} (RDS refuses overlapping windows)`,
    });
  const dumps = logicalBackupWindows(p.logicalBackup.startUtc, p.logicalBackup.deadlineSeconds);
  const clash = [
    // Stryker disable next-line MethodExpression: daily runs against a daily window clash on one day iff on all
    ...(dumps.some((d) => backup.some((b) => windowsOverlap(d, b)))
      ? [`backupWindow ${p.backupWindow}`]
      : []),
    ...(dumps.some((d) => windowsOverlap(d, maintenance))
      ? [`maintenanceWindow ${p.maintenanceWindow}`]
      : []),
  ];
  if (clash.length > 0)
    problems.push({
      path: ["logicalBackup", "startUtc"],
      input: p.logicalBackup.startUtc,
      message: `expected the pg_dump run (start + deadlineSeconds ${p.logicalBackup.deadlineSeconds}s) to stay clear of ${clash.join(" and ")}`,
    });
  return problems;
}

/** The parameter group family of an engine major (RDS: postgres<major>). */
export const parameterGroupFamily = (major: number) => `postgres${major}`;
