/**
 * The backup area's part of the offline plan (components/backup/plan.ts): the retention table a
 * reviewer reads in summary.md, and the replication rows of the recovery-objectives table.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { backupPlanExtension, replicationObjectives } from "../../components/backup/plan";
import type { PlanContext } from "../../components/core/plan";
import { synthDr, type Synth } from "../harness";
import { OPENSEARCH_REST_TYPE } from "../../components/opensearch/rest";
import { planContext, recordedResource } from "../harness/records";
import { seedRetentionDays } from "../harness/seed";

const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const context = (resources: PlanContext["resources"]) => planContext(resources, "dr");
const retention = (ctx: PlanContext) => backupPlanExtension.sections!(ctx);

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr();
});

describe("the retention section on the DR stack", () => {
  it("shows what the vault keeps per prefix, and how long a deleted backup lingers", () => {
    const [section] = retention(context(dr.resources));
    expect(section!.title).toBe("Backup retention (seed 16.2)");
    const pgDumpDays = seedRetentionDays()["逻辑备份 (pg_dump)"];
    const lines = section!.markdown.split("\n");
    // Noncurrent versions stay one day; the 3-day governance lock is shorter than any of this.
    expect(lines).toContain(
      `| \`metadata/daily/\` | ${pgDumpDays} d | 1 d | ${pgDumpDays! + 1} d |`,
    );
    expect(lines).toContainEqual(expect.stringMatching(/; object lock: GOVERNANCE, 3 days$/));
    expect(lines).toContain(
      "| `opensearch/snapshots/` | expired by the snapshot policy after 14 d | 1 d | 15 d |",
    );
  });

  it("describes the replication from the primary's vault, with RTC and delete markers", () => {
    const line = retention(context(dr.resources))[0]!
      .markdown.split("\n")
      .find((l) => l.startsWith("Replication "));
    expect(line).toMatch(
      /^Replication \*\*\S+-backup-replication-config\*\* \(rule Enabled\) on `\S+` \(us-east-1\) → `arn:aws:s3:::\S+`: RTC Enabled, delete markers Disabled\.$/,
    );
  });

  it("gives the replication's recovery point as RTC's 15 minutes, against region failover", () => {
    expect(replicationObjectives(context(dr.resources))).toEqual([
      expect.objectContaining({
        area: "backup",
        rpo: 15 * 60,
        basis: "Replication Time Control: 99.99 % of new objects within 15 min",
        crossRegion: true,
        target: expect.objectContaining({ source: "seed 16.3 region_failover" }),
      }),
    ]);
  });
});

describe("the retention section on hand-made resources", () => {
  const replication = (rules: unknown[]) =>
    recordedResource(REPLICATION, "repl", { bucket: "src", rules }, { region: "us-east-1" });

  it("is empty without lifecycle or replication", () => {
    expect(retention(context([]))).toEqual([]);
  });

  it("says object lock is off, counts a rule without noncurrent window as 0 days, and flags a snapshot prefix nothing writes to", () => {
    const lifecycle = recordedResource(
      LIFECYCLE,
      "lc",
      {
        bucket: "b",
        rules: [
          { id: "all", expiration: { days: 5 } },
          { id: "snapshots", filter: { prefix: "opensearch/snapshots/" } },
          { id: "other", filter: { prefix: "misc/" } },
        ],
      },
      { region: "us-west-2" },
    );
    const lines = retention(context([lifecycle]))[0]!.markdown.split("\n");
    expect(lines[0]).toBe("**lc** (us-west-2); object lock: off");
    expect(lines.filter((l) => l.startsWith("| `"))).toEqual([
      "| `(all)` | 5 d | 0 d | 5 d |",
      "| `opensearch/snapshots/` | no snapshot policy writes here | 0 d | — |",
    ]);
  });

  it("reports replication without RTC or delete-marker setting as S3 does it (neither), and a rule-less one without failing", () => {
    const lines = (resources: PlanContext["resources"]) =>
      retention(context(resources))[0]!.markdown.split("\n");
    expect(lines([replication([{ status: "Enabled", destination: { bucket: "dst" } }])])).toEqual([
      "Replication **repl** (rule Enabled) on `src` (us-east-1) → `dst`: RTC off, delete markers Disabled.",
    ]);
    expect(lines([replication([])])).toEqual([
      "Replication **repl** (rule undefined) on `src` (us-east-1) → `undefined`: RTC off, delete markers Disabled.",
    ]);
  });

  it("gives no recovery point for a disabled rule or one without RTC", () => {
    const rows = replicationObjectives(
      context([
        replication([
          {
            status: "Disabled",
            destination: {
              bucket: "dst",
              replicationTime: { status: "Enabled", time: { minutes: 15 } },
            },
          },
          { status: "Enabled", destination: { bucket: "dst" } },
        ]),
      ]),
    );
    expect(rows.map((r) => [r.mechanism, r.rpo, r.basis])).toEqual([
      ["S3 replication src (us-east-1) → dst", "unbounded", "rule disabled: nothing is replicated"],
      [
        "S3 replication src (us-east-1) → dst",
        "unbounded",
        "no Replication Time Control: best effort, no time guaranteed",
      ],
    ]);
  });

  describe("a snapshot prefix's row, by the snapshot policy writing there", () => {
    const lifecycle = recordedResource(LIFECYCLE, "lc", {
      bucket: "b",
      rules: [{ id: "snapshots", filter: { prefix: "opensearch/snapshots/" } }],
    });
    const rest = (name: string, kind: string, spec?: object, type = OPENSEARCH_REST_TYPE) =>
      recordedResource(type, name, spec === undefined ? { kind } : { kind, spec });
    const repository = (name: string, bucket = "b", basePath = "opensearch/snapshots/us-west-2") =>
      rest(name, "snapshotRepository", { name, bucket, basePath });
    const policy = (name: string, repositoryName: string, maxAge?: string, kind = "smPolicy") =>
      rest(name, kind, {
        body: {
          snapshot_config: { repository: repositoryName },
          ...(maxAge === undefined ? {} : { deletion: { condition: { max_age: maxAge } } }),
        },
      });
    const row = (...resources: PlanContext["resources"]) =>
      retention(context([lifecycle, ...resources]))[0]!
        .markdown.split("\n")
        .find((l) => l.startsWith("| `opensearch/snapshots/`"));
    const NONE = "| `opensearch/snapshots/` | no snapshot policy writes here | 0 d | — |";

    it("takes the max_age of the policy that writes into the bucket's repository under the prefix", () => {
      expect(row(repository("repo"), policy("sm", "repo", "14d"))).toBe(
        "| `opensearch/snapshots/` | expired by the snapshot policy after 14 d | 0 d | 14 d |",
      );
    });

    it("finds none past look-alikes: other buckets, other prefixes, other kinds and types, no spec", () => {
      expect(
        row(
          rest("bare", "snapshotRepository"),
          repository("elsewhere", "other-bucket"),
          repository("logs", "b", "opensearch/logs"),
          rest("policy-kind", "smPolicy", {
            name: "x",
            bucket: "b",
            basePath: "opensearch/snapshots",
          }),
          recordedResource("aws:s3/bucketObject:BucketObject", "object", {
            kind: "snapshotRepository",
            spec: { name: "repo", bucket: "b", basePath: "opensearch/snapshots" },
          }),
          // Each look-alike has a policy that would give it a row, were it taken for the repository.
          policy("sm-elsewhere", "elsewhere", "14d"),
          policy("sm-logs", "logs", "14d"),
          policy("sm-x", "x", "14d"),
          policy("sm-repo", "repo", "14d"),
        ),
      ).toBe(NONE);
    });

    it("finds none for a repository no policy writes to, or a policy of another kind or without deletion", () => {
      expect(row(repository("repo"))).toBe(NONE);
      expect(row(repository("repo"), rest("bare-policy", "smPolicy"))).toBe(NONE);
      expect(row(repository("repo"), policy("other", "repo", "14d", "indexTemplate"))).toBe(NONE);
      expect(row(repository("repo"), policy("sm", "repo"))).toBe(NONE);
    });

    it("reads max_age only as whole days", () => {
      for (const maxAge of ["14h", "x14d", "14days"])
        expect(row(repository("repo"), policy("sm", "repo", maxAge)), maxAge).toBe(NONE);
    });
  });
});
