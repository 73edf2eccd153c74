import { describe, expect, it } from "vitest";
import {
  dailyWindows,
  instanceClassMemoryGiB,
  logicalBackupWindows,
  parseStackConfig,
  postgresSettingsProblems,
  postgresMaxConnections,
  postgresSchema,
  rdsDefaultMaxConnections,
  SEED_BACKUP_RETENTION,
  weeklyWindow,
  windowsOverlap,
} from "../../config";
import { dbParameters } from "../../components/postgres";
import { configErrorOf, minimalPrimary, problemsOf } from "../harness/config";
import { seedRetentionDays } from "../harness/seed";

const withPostgres = (postgres: Record<string, unknown>) =>
  parseStackConfig({ ...minimalPrimary(), postgres });
const problems = (postgres: Record<string, unknown>) =>
  configErrorOf(() => withPostgres(postgres)).problems;

describe("vega-ha:postgres config", () => {
  it("defaults: automated backups kept as long as the seed's WAL row, pg_dump files as its pg_dump row", () => {
    const seed = seedRetentionDays();
    const config = parseStackConfig(minimalPrimary());
    expect(config.postgres.backupRetentionDays).toBe(seed["WAL 归档"]);
    // One key for the pg_dump files' retention: the vault's (no copy under postgres).
    expect(config.backup.retention.metadataDailyDays).toBe(seed["逻辑备份 (pg_dump)"]);
    expect(Object.keys(config.postgres)).not.toContain("retentionDays");
    expect(SEED_BACKUP_RETENTION.walArchiveDays).toBe(seed["WAL 归档"]);
    expect(config.postgres.roles.manage).toBe(false);
    expect(config.postgres.performanceInsightsRetentionDays).toBe(7);
    // A region gets its metadata database, an in-region replica and a daily pg_dump unless the
    // stack says otherwise; logical replication (WAL cost) only when asked for.
    expect(config.postgres.enabled).toBe(true);
    expect(config.postgres.inRegionReplica).toBe(true);
    expect(config.postgres.logicalBackup.enabled).toBe(true);
    expect(config.postgres.logicalReplication).toBe(false);
  });

  it("defaults keep the pg_dump run, the backup window and maintenance apart", () => {
    const p = postgresSchema.parse({});
    expect(postgresSettingsProblems(p)).toEqual([]);
    const dumps = logicalBackupWindows(p.logicalBackup.startUtc, p.logicalBackup.deadlineSeconds);
    const backup = dailyWindows(p.backupWindow);
    const maintenance = weeklyWindow(p.maintenanceWindow);
    expect(dumps.some((d) => backup.some((b) => windowsOverlap(d, b)))).toBe(false);
    expect(dumps.some((d) => windowsOverlap(d, maintenance))).toBe(false);
    expect(backup.some((b) => windowsOverlap(b, maintenance))).toBe(false);
  });

  it("refuses fewer automated-backup days than the seed's WAL retention, naming the key", () => {
    const [p] = problems({ backupRetentionDays: 3 });
    expect(p!.key).toBe("vega-ha:postgres.backupRetentionDays");
    expect(p!.message).toMatch(/expected an integer from 7 to 35/);
  });

  it("refuses a maintenance window overlapping the backup window (RDS refuses it)", () => {
    const found = problems({
      backupWindow: "04:00-04:30",
      maintenanceWindow: "wed:04:15-wed:05:00",
    });
    expect(found.map((p) => p.key)).toContain("vega-ha:postgres.maintenanceWindow");
  });

  it("refuses a pg_dump run that reaches into the backup window", () => {
    const found = problems({ logicalBackup: { startUtc: "02:30", deadlineSeconds: 3600 } });
    expect(found).toEqual([
      expect.objectContaining({
        key: "vega-ha:postgres.logicalBackup.startUtc",
        message: expect.stringMatching(/stay clear of backupWindow 03:00-03:30/),
      }),
    ]);
  });

  it("refuses a pg_dump run on a maintenance morning, also across midnight of the week's end", () => {
    const found = problems({
      maintenanceWindow: "mon:00:00-mon:01:00",
      logicalBackup: { startUtc: "23:30" },
    });
    expect(found.map((p) => p.message).join()).toMatch(/maintenanceWindow mon:00:00-mon:01:00/);
  });

  it("refuses windows shorter than 30 minutes and storage ceilings under the size", () => {
    const keys = problems({
      backupWindow: "03:00-03:10",
      allocatedStorageGiB: 200,
      maxAllocatedStorageGiB: 100,
    }).map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "vega-ha:postgres.backupWindow",
        "vega-ha:postgres.maxAllocatedStorageGiB",
      ]),
    );
  });

  it("refuses a storage-autoscaling ceiling less than 10 % above the size (RDS refuses it)", () => {
    // AWS RDS User Guide, storage autoscaling: 1000 GiB allocated needs a threshold of 1100+.
    expect(
      problemsOf({
        ...minimalPrimary(),
        postgres: { allocatedStorageGiB: 1000, maxAllocatedStorageGiB: 1100 },
      }),
    ).toEqual([]);
    for (const max of [1099, 1000])
      expect(
        problems({ allocatedStorageGiB: 1000, maxAllocatedStorageGiB: max }).map(
          (p) => `${p.key}: ${p.message}`,
        ),
      ).toEqual([
        `vega-ha:postgres.maxAllocatedStorageGiB: expected at least 10 % more than allocatedStorageGiB 1000, i.e. 1100 or more (RDS refuses a smaller autoscaling ceiling), got ${max}`,
      ]);
    // 101 GiB: 111.1 rounds up to 112 (111 is under 10 % more).
    expect(problems({ allocatedStorageGiB: 101, maxAllocatedStorageGiB: 111 })[0]!.message).toMatch(
      /i\.e\. 112 or more/,
    );
  });

  it("reads windows as minutes from Monday 00:00 UTC, wrapping past midnight and the week's end", () => {
    const DAY = 24 * 60;
    const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    days.forEach((d, i) =>
      expect(weeklyWindow(`${d}:01:15-${d}:02:00`), d).toEqual({
        start: i * DAY + 75,
        end: i * DAY + 120,
      }),
    );
    expect(weeklyWindow("sun:23:30-mon:00:30")).toEqual({
      start: 6 * DAY + 1410,
      end: 7 * DAY + 30,
    });
    expect(dailyWindows("23:30-00:30")).toEqual(
      days.map((_, i) => ({ start: i * DAY + 1410, end: i * DAY + 1470 })),
    );
    expect(logicalBackupWindows("22:00", 5401)[2]).toEqual({
      start: 2 * DAY + 1320,
      end: 2 * DAY + 1411,
    });
  });

  it("windows that only touch do not overlap; one across the week's end overlaps Monday", () => {
    const monday = weeklyWindow("mon:00:00-mon:01:00");
    expect(windowsOverlap(monday, weeklyWindow("mon:01:00-mon:02:00"))).toBe(false);
    expect(windowsOverlap(weeklyWindow("sun:23:00-mon:00:00"), monday)).toBe(false);
    const acrossWeekEnd = weeklyWindow("sun:23:30-mon:00:30");
    expect(windowsOverlap(monday, acrossWeekEnd)).toBe(true);
    expect(windowsOverlap(acrossWeekEnd, monday)).toBe(true);
    expect(windowsOverlap(weeklyWindow("sat:23:30-sun:00:30"), monday)).toBe(false);
  });

  it("says which window a refused combination collides with, and why", () => {
    const refused = (postgres: Record<string, unknown>) =>
      problemsOf({ ...minimalPrimary(), postgres }).map(
        (p) => `${p.key.replace("vega-ha:postgres.", "")}: ${p.message}`,
      );
    expect(refused({ maintenanceWindow: "wed:04:00-wed:04:20" })).toEqual([
      'maintenanceWindow: expected a window of at least 30 minutes (RDS refuses shorter), got "wed:04:00-wed:04:20"',
    ]);
    expect(
      refused({ backupWindow: "04:00-04:30", maintenanceWindow: "wed:04:15-wed:05:00" }),
    ).toEqual([
      'maintenanceWindow: expected no overlap with backupWindow 04:00-04:30 (RDS refuses overlapping windows), got "wed:04:15-wed:05:00"',
    ]);
    // A run clear of both windows is taken; one that reaches both names both.
    expect(
      refused({
        backupWindow: "03:00-03:30",
        maintenanceWindow: "sun:03:30-sun:04:30",
        logicalBackup: { startUtc: "02:30", deadlineSeconds: 300 },
      }),
    ).toEqual([]);
    expect(
      refused({
        backupWindow: "02:40-03:10",
        maintenanceWindow: "sun:02:00-sun:02:35",
        logicalBackup: { startUtc: "02:00", deadlineSeconds: 3000 },
      }),
    ).toEqual([
      'logicalBackup.startUtc: expected the pg_dump run (start + deadlineSeconds 3000s) to stay clear of backupWindow 02:40-03:10 and maintenanceWindow sun:02:00-sun:02:35, got "02:00"',
    ]);
  });

  it("a restore block names exactly one of a time and the latest restorable time", () => {
    expect(problems({ restore: { suffix: "drill" } })[0]!.key).toBe(
      "vega-ha:postgres.restore.time",
    );
    expect(
      withPostgres({ restore: { suffix: "drill", time: "2026-12-01T09:30:00Z" } }).postgres.restore,
    ).toEqual({ suffix: "drill", time: "2026-12-01T09:30:00Z", useLatestRestorableTime: false });
  });

  it("says what a refused restore, name, window or start time should look like", () => {
    const refused = (postgres: Record<string, unknown>) =>
      problemsOf({ ...minimalPrimary(), postgres }).map(
        (p) => `${p.key.replace("vega-ha:postgres.", "")}: ${p.message}`,
      );
    const time = "2026-12-01T09:30:00Z";
    expect(refused({ restore: { suffix: "drill", useLatestRestorableTime: true, time } })).toEqual([
      `restore.time: expected exactly one of restore.time and restore.useLatestRestorableTime: true, got "${time}"`,
    ]);
    for (const junk of [`x${time}`, `${time}x`, "2026-12-01 09:30:00Z"])
      expect(refused({ restore: { suffix: "drill", time: junk } })).toEqual([
        `restore.time: expected a UTC time such as 2026-12-01T09:30:00Z, got "${junk}"`,
      ]);
    // RDS: a database name of at most 63, a master user name of at most 16 characters.
    expect(refused({ databaseName: "d".repeat(63), masterUsername: "u".repeat(16) })).toEqual([]);
    expect(refused({ databaseName: "d".repeat(64), masterUsername: "u".repeat(17) })).toEqual([
      `databaseName: expected a database name: a lower-case name of at most 63 letters, digits or underscores, got "${"d".repeat(64)}"`,
      `masterUsername: expected a user name: a lower-case name of at most 16 letters, digits or underscores, got "${"u".repeat(17)}"`,
    ]);
    expect(
      refused({
        backupWindow: "3:00-03:30",
        maintenanceWindow: "sunday:04:00-sunday:05:00",
        logicalBackup: { startUtc: "24:00" },
      }),
    ).toEqual([
      'backupWindow: expected a UTC window such as 03:00-03:30, got "3:00-03:30"',
      'maintenanceWindow: expected a UTC window such as sun:04:00-sun:05:00, got "sunday:04:00-sunday:05:00"',
      'logicalBackup.startUtc: expected a UTC time such as 01:00, got "24:00"',
    ]);
    expect(refused({ logicalBackup: { image: "", uploaderImage: "" } })).toEqual([
      'logicalBackup.image: expected an image reference, got ""',
      'logicalBackup.uploaderImage: expected an image reference, got ""',
    ]);
    expect(refused({ clientSecurityGroupIds: [] })).toEqual([
      "clientSecurityGroupIds: expected a list of security group ids, got []",
    ]);
    for (const id of [
      "sg-0a1b2c3",
      "sg-0a1b2c3d4e5f6a7b8c",
      "xsg-0a1b2c3d",
      "sg-0a1b2c3dx",
      "sg-ghijklmn",
    ])
      expect(refused({ clientSecurityGroupIds: ["sg-0a1b2c3d", id] }), id).toEqual([
        `clientSecurityGroupIds[1]: expected a security group id such as sg-0a1b2c3d, got "${id}"`,
      ]);
    expect(refused({ clientSecurityGroupIds: ["sg-0a1b2c3d", "sg-0a1b2c3d4e5f6a7b8"] })).toEqual(
      [],
    );
  });

  it("knows the memory of the classes it accepts; refuses an unknown one naming instanceClass, unless maxConnections is set", () => {
    // AWS "Hardware specifications for DB instance classes", GiB.
    const aws: Record<string, number> = {
      "db.r6g.large": 16,
      "db.r6g.16xlarge": 512,
      "db.m6g.xlarge": 16,
      "db.m5.24xlarge": 384,
      "db.r7g.2xlarge": 64,
      "db.x2g.large": 32,
      "db.t4g.medium": 4,
      "db.t3.2xlarge": 32,
      // Every other family the hint names, at one size: general purpose 4 GiB per vCPU, memory
      // optimized 8 (large = 2 vCPUs, xlarge = 4, 4xlarge = 16).
      "db.m5d.large": 8,
      "db.m6gd.xlarge": 16,
      "db.m6i.large": 8,
      "db.m6id.xlarge": 16,
      "db.m6idn.large": 8,
      "db.m6in.4xlarge": 64,
      "db.m7g.large": 8,
      "db.m7i.xlarge": 16,
      "db.m8g.large": 8,
      "db.r5.large": 16,
      "db.r5b.xlarge": 32,
      "db.r5d.large": 16,
      "db.r6gd.xlarge": 32,
      "db.r6i.large": 16,
      "db.r6id.4xlarge": 128,
      "db.r6idn.large": 16,
      "db.r6in.xlarge": 32,
      "db.r7i.large": 16,
      "db.r8g.xlarge": 32,
    };
    for (const [cls, gib] of Object.entries(aws))
      expect(instanceClassMemoryGiB(cls), cls).toBe(gib);
    const unknown = ["db.t3.micro", "db.r6g.metal", "db.z9.large", "db.r6g", "cache.r6g.large"];
    // A size is large, xlarge or <N>xlarge, whole; a class has three parts.
    unknown.push("db.r6g.bigxlarge", "db.r6g.xlarges", "db.r6g.large.x");
    for (const cls of unknown) expect(instanceClassMemoryGiB(cls), cls).toBeUndefined();
    const [p] = problems({ instanceClass: "db.r6g.metal" });
    expect(p!.key).toBe("vega-ha:postgres.instanceClass");
    // The refusal lists what is known: every family above, and the sizes.
    const families = new Set(Object.keys(aws).map((cls) => cls.split(".")[1]!));
    const listed =
      /for the families ([^;]*); sizes large, xlarge, <N>xlarge \(t3\/t4g: medium to 2xlarge\)/.exec(
        p!.message,
      );
    expect(new Set(listed?.[1]?.split(", "))).toEqual(families);
    expect(p!.message).toMatch(
      /db\.r6g\.metal: its memory is not known.*set postgres\.maxConnections/,
    );
    expect(
      withPostgres({ instanceClass: "db.r6g.metal", maxConnections: 3000 }).postgres,
    ).toMatchObject({ maxConnections: 3000 });
    expect(() => rdsDefaultMaxConnections("db.t3.micro")).toThrow(
      /vega-ha:postgres\.instanceClass/,
    );
  });

  it("max_connections: RDS's default LEAST(memory / 9531392, 5000), or the configured one", () => {
    // 16 GiB / 9 531 392 bytes per connection = 1802.5; 512 GiB passes the 5000 cap.
    expect(postgresMaxConnections({ instanceClass: "db.r6g.large" })).toBe(
      Math.floor((16 * 2 ** 30) / 9531392),
    );
    expect(postgresMaxConnections({ instanceClass: "db.r6g.16xlarge" })).toBe(5000);
    expect(postgresMaxConnections({ instanceClass: "db.r6g.large", maxConnections: 500 })).toBe(
      500,
    );
    // The parameter group sets it only when configured (static: at the next reboot).
    const settings = postgresSchema.parse({});
    expect(dbParameters(settings).map((p) => p.name)).not.toContain("max_connections");
    expect(dbParameters({ ...settings, maxConnections: 500 })).toContainEqual({
      name: "max_connections",
      value: "500",
      applyMethod: "pending-reboot",
    });
  });

  it("refuses unknown keys and unsupported engines", () => {
    const keys = problems({ engineMajorVersion: 12, retentionDays: 30 }).map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "vega-ha:postgres.engineMajorVersion",
        "vega-ha:postgres.retentionDays",
      ]),
    );
  });
});
