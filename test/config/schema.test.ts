import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parseStackConfig,
  platformOutputsSchema,
  SEED_BACKUP_RETENTION,
  stackConfigSchema,
} from "../../config";
import { seedRetentionDays } from "../harness/seed";
import { stackConfig } from "../harness/stack-config";
import { configErrorOf, minimalPrimary, problemsOf } from "../harness/config";

describe("defaults", () => {
  it("backup retention defaults are the seed's 16.2 figures", () => {
    const seed = seedRetentionDays();
    const retention = parseStackConfig(minimalPrimary()).backup.retention;
    expect(retention.metadataDailyDays).toBe(seed["逻辑备份 (pg_dump)"]);
    expect(retention.opensearchSnapshotDays).toBe(seed["快照 (Snapshot)"]);
    expect(retention.opensearchDeltaDays).toBe(seed["增量备份 (Delta)"]);
    expect(SEED_BACKUP_RETENTION.walArchiveDays).toBe(seed["WAL 归档"]);
  });

  it("a minimal config gets the safe defaults: protected, object lock on, replication on without delete markers", () => {
    const c = parseStackConfig(minimalPrimary());
    expect(c.protect).toBe(true);
    expect(c.backup.objectLock).toEqual({
      enabled: true,
      mode: "GOVERNANCE",
      days: c.backup.retention.opensearchDeltaDays,
    });
    expect(c.backup.replication).toEqual({
      enabled: true,
      replicationTimeControl: true,
      deleteMarkerReplication: false,
    });
    expect(c.kubernetes).toEqual({ namespace: "vega", createNamespace: true });
  });

  it("both real stack files are valid", () => {
    expect(stackConfig("primary").role).toBe("primary");
    const dr = stackConfig("dr");
    expect(dr.role).toBe("dr");
    expect(dr.primaryStack).toMatch(/primary$/);
  });
});

describe("bad input is refused with its full key", () => {
  it("names a wrong type with what is allowed and what was given", () => {
    const err = configErrorOf(() =>
      parseStackConfig({
        ...minimalPrimary(),
        backup: { retention: { metadataDailyDays: "thirty" } },
      }),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(
      'vega-ha:backup.retention.metadataDailyDays: expected an integer from 1 to 3650, got "thirty"',
    );
  });

  it("refuses unknown keys at every level (typos never fall back to defaults)", () => {
    const err = configErrorOf(() =>
      parseStackConfig({
        ...minimalPrimary(),
        protectt: false,
        backup: { retention: { metadataDailyDay: 10 } },
      }),
    );
    expect(err.problems.map((p) => p.key).sort()).toEqual([
      "vega-ha:backup.retention.metadataDailyDay",
      "vega-ha:protectt",
    ]);
    expect(err.problems.every((p) => p.message.startsWith("unknown key"))).toBe(true);
  });

  it("lists every problem at once", () => {
    const err = configErrorOf(() =>
      parseStackConfig({ role: "standby", environment: "Prod!", region: "mars-1", platform: {} }),
    );
    const keys = err.problems.map((p) => p.key);
    for (const key of [
      "vega-ha:role",
      "vega-ha:environment",
      "vega-ha:region",
      "vega-ha:platform.network",
      "vega-ha:platform.cluster",
      "vega-ha:platform.dns",
    ]) {
      expect(keys).toContain(key);
    }
    expect(err.message).toContain('vega-ha:role: expected one of "primary", "dr", got "standby"');
  });

  it("reports missing required keys as required", () => {
    const { region: _region, ...withoutRegion } = minimalPrimary();
    const err = configErrorOf(() => parseStackConfig(withoutRegion));
    expect(err.problems).toEqual([
      {
        key: "vega-ha:region",
        message: expect.stringMatching(/^required, expected an AWS region/),
      },
    ]);
  });

  it("keeps DR-only keys out of the primary and requires primaryStack in DR", () => {
    const primary = configErrorOf(() =>
      parseStackConfig({
        ...minimalPrimary(),
        promoted: true,
        primaryStack: "acme/vega-ha/primary",
      }),
    );
    expect(primary.problems.map((p) => p.key).sort()).toEqual([
      "vega-ha:primaryStack",
      "vega-ha:promoted",
    ]);
    const dr = configErrorOf(() => parseStackConfig({ ...minimalPrimary(), role: "dr" }));
    expect(dr.problems).toEqual([
      { key: "vega-ha:primaryStack", message: expect.stringContaining("required when role is dr") },
    ]);
  });

  it("refuses platform.stack together with direct platform inputs", () => {
    const err = configErrorOf(() =>
      parseStackConfig({
        ...minimalPrimary(),
        platform: { ...minimalPrimary().platform, stack: "acme/platform/prod" },
      }),
    );
    expect(err.problems.map((p) => p.key).sort()).toEqual([
      "vega-ha:platform.cluster",
      "vega-ha:platform.dns",
      "vega-ha:platform.network",
    ]);
  });

  it("takes a platform stack alone, or all three direct inputs, and says which key is wrong", () => {
    const { network, cluster } = minimalPrimary().platform;
    const platform = (p: Record<string, unknown>) =>
      problemsOf({ ...minimalPrimary(), platform: p }).map((x) => `${x.key}: ${x.message}`);
    expect(platform({ stack: "acme/platform/prod" })).toEqual([]);
    expect(platform({ stack: "acme/platform/prod", network })).toEqual([
      `vega-ha:platform.network: not allowed together with platform.stack (the platform stack provides it), got ${JSON.stringify(network).slice(0, 77)}...`,
    ]);
    expect(platform({ network, cluster })).toEqual([
      "vega-ha:platform.dns: required unless platform.stack names a platform stack, got nothing",
    ]);
  });

  it("reads a platform stack's outputs with the same shapes as direct inputs", () => {
    const { network, cluster, dns } = minimalPrimary().platform;
    expect(platformOutputsSchema.parse({ network, cluster, dns })).toEqual({
      network,
      cluster,
      dns,
    });
    expect(platformOutputsSchema.safeParse({ network, cluster }).success).toBe(false);
    expect(
      platformOutputsSchema.safeParse({ network: { ...network, vpcId: "vpc-1" }, cluster, dns })
        .success,
    ).toBe(false);
  });

  it("refuses an object lock that outlasts the shortest retention rule", () => {
    const base = minimalPrimary();
    const shortest = parseStackConfig(base).backup.retention.opensearchDeltaDays;
    const err = configErrorOf(() =>
      parseStackConfig({ ...base, backup: { objectLock: { days: shortest + 1 } } }),
    );
    expect(err.problems).toEqual([
      {
        key: "vega-ha:backup.objectLock.days",
        message: expect.stringContaining(`expected at most ${shortest}`),
      },
    ]);
    // Without the lock the same days are fine.
    expect(() =>
      parseStackConfig({ ...base, backup: { objectLock: { enabled: false, days: shortest + 1 } } }),
    ).not.toThrow();
  });
});

describe("property: any non-integer or out-of-range retention is refused with its key", () => {
  const retentionKeys = [
    "metadataDailyDays",
    "opensearchSnapshotDays",
    "opensearchDeltaDays",
    "opensearchLogsDays",
  ] as const;
  const badValue = fc.oneof(
    fc.string(),
    fc.integer({ max: 0 }),
    fc.integer({ min: 3651 }),
    fc.double({ noInteger: true, noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );

  it("holds for generated configs", () => {
    fc.assert(
      fc.property(fc.constantFrom(...retentionKeys), badValue, (key, value) => {
        const err = configErrorOf(() =>
          parseStackConfig({
            ...minimalPrimary(),
            backup: { objectLock: { enabled: false }, retention: { [key]: value } },
          }),
        );
        expect(err.problems.map((p) => p.key)).toContain(`vega-ha:backup.retention.${key}`);
      }),
      { numRuns: 200 },
    );
  });

  it("any unknown top-level key is named", () => {
    const known = new Set(Object.keys(stackConfigSchema.shape));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,15}$/).filter((k) => !known.has(k)),
        (key) => {
          const err = configErrorOf(() => parseStackConfig({ ...minimalPrimary(), [key]: 1 }));
          expect(err.problems).toContainEqual({
            key: `vega-ha:${key}`,
            message: expect.stringMatching(/^unknown key/),
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("defaults the seed does not give (literals, as documented in config/backup.ts)", () => {
  it("removes a noncurrent version after 1 day, aborts uploads after 2, keeps shipped logs 14", () => {
    const retention = parseStackConfig(minimalPrimary()).backup.retention;
    expect(retention.noncurrentVersionDays).toBe(1);
    expect(retention.incompleteUploadDays).toBe(2);
    expect(retention.opensearchLogsDays).toBe(14);
  });
});
