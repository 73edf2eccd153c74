/**
 * The daily logical backup as data (components/postgres/logical-backup.ts): its schedule, its
 * role's permissions judged by the IAM evaluator, and its CronJob read as the kubelet runs it.
 */
import { describe, expect, it } from "vitest";
import {
  dailySchedule,
  logicalBackupCronJobSpec,
  logicalBackupWriterPolicy,
} from "../../components/postgres";
import { cronMaxGapSeconds } from "../../components/core/cron";
import { memoryBytes } from "../../config";
import { stackConfig } from "../harness";
import { iamAllows } from "../harness/iam";

type Spec = Record<string, any>;
const settings = stackConfig("primary").postgres;

describe("dailySchedule", () => {
  it.each([
    ["01:00", "0 1 * * *"],
    ["23:45", "45 23 * * *"],
    ["00:05", "5 0 * * *"],
  ])("%s UTC → %s, once a day", (start, cron) => {
    expect(dailySchedule(start)).toBe(cron);
    expect(cronMaxGapSeconds(cron)).toBe(24 * 3600);
  });
});

describe("logicalBackupWriterPolicy", () => {
  const bucket = "arn:aws:s3:::vault";
  const key = "arn:aws:kms:us-east-1:111122223333:key/k";
  const policy = logicalBackupWriterPolicy(bucket, key);
  const may = (action: string, resource: string) => iamAllows(policy, { action, resource });

  it("writes, reads back and removes objects under metadata/daily/ only (seed 16.1's path)", () => {
    for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) {
      expect(may(action, `${bucket}/metadata/daily/2026-12-03.dump`), action).toBe(true);
      expect(may(action, `${bucket}/opensearch/snapshots/x`), action).toBe(false);
    }
    expect(may("s3:DeleteBucket", bucket)).toBe(false);
    expect(may("s3:PutBucketPolicy", bucket)).toBe(false);
  });

  it("is written in the current policy language", () => {
    expect(policy.Version).toBe("2012-10-17");
  });

  it("encrypts and decrypts with the vault's key, and nothing more with it", () => {
    expect(may("kms:GenerateDataKey", key)).toBe(true);
    expect(may("kms:Decrypt", key)).toBe(true);
    expect(may("kms:ScheduleKeyDeletion", key)).toBe(false);
    expect(may("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/other")).toBe(false);
  });
});

describe("the logical backup's CronJob", () => {
  const spec = logicalBackupCronJobSpec({
    settings,
    name: "vega-pg-dump",
    namespace: "vega",
    serviceAccountName: "vega-pg-dump",
    scriptsConfigMap: "vega-pg-dump-scripts",
    credentialsSecret: "vega-metadata-backup",
    bucketName: "vault",
    region: "us-east-1",
    labels: { app: "x" },
  }) as Spec;
  const job = spec.jobTemplate.spec;
  const pod = job.template.spec;
  const [dump] = pod.initContainers as Spec[];
  const [upload] = pod.containers as Spec[];
  const mountPath = (c: Spec, volume: string) =>
    (c.volumeMounts as Spec[]).find((m) => m.name === volume)?.mountPath;

  it("runs one dump at a time, daily at the configured UTC time, within the configured deadline", () => {
    expect(spec).toMatchObject({
      schedule: dailySchedule(settings.logicalBackup.startUtc),
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    // A start missed by more than an hour is skipped (and the age alert fires), never run late.
    expect(spec.startingDeadlineSeconds).toBe(3600);
    expect(job).toMatchObject({
      backoffLimit: 1,
      activeDeadlineSeconds: settings.logicalBackup.deadlineSeconds,
    });
    expect(pod).toMatchObject({ restartPolicy: "Never", automountServiceAccountToken: false });
    expect(spec.jobTemplate.metadata.labels).toEqual({ app: "x" });
    expect(job.template.metadata.labels).toEqual({ app: "x" });
  });

  it("dumps first (an init container), then uploads what the dump left in the shared outbox", () => {
    expect([dump!.name, upload!.name]).toEqual(["dump", "upload"]);
    const outbox = mountPath(dump!, "outbox");
    expect(outbox).toMatch(/^\/\w/);
    expect(mountPath(upload!, "outbox")).toBe(outbox);
    expect(dump!.env).toContainEqual({ name: "BACKUP_DEST", value: outbox });
    expect(upload!.command.slice(2)).toEqual([outbox, "vault", "metadata/daily/"]);
    expect(dump!.command.slice(2)).toEqual([settings.databaseName]);
    expect(dump!.envFrom).toEqual([{ secretRef: { name: "vega-metadata-backup" } }]);
    expect(upload!.env).toEqual(
      expect.arrayContaining([{ name: "AWS_REGION", value: "us-east-1" }]),
    );
  });

  it("runs the scripts from the read-only, executable ConfigMap mount; HOME is the writable /tmp", () => {
    const scripts = (pod.volumes as Spec[]).find((v) => v.name === "scripts")!;
    expect(scripts.configMap).toEqual({ name: "vega-pg-dump-scripts", defaultMode: 0o555 });
    for (const c of [dump!, upload!]) {
      const mount = (c.volumeMounts as Spec[]).find((m) => m.name === "scripts")!;
      expect(mount.readOnly).toBe(true);
      expect(c.command[0]).toBe("bash");
      expect(c.command[1]).toMatch(new RegExp(`^${mount.mountPath}/\\w+\\.sh$`));
      expect(mountPath(c, "tmp")).toBe("/tmp");
    }
    expect(dump!.command[1]).toMatch(/\/backup\.sh$/);
    expect(upload!.command[1]).toMatch(/\/upload\.sh$/);
    expect(upload!.env).toContainEqual({ name: "HOME", value: "/tmp" });
    expect((pod.volumes as Spec[]).map((v) => v.name).sort()).toEqual(["outbox", "scripts", "tmp"]);
  });

  it("sizes both containers, each limited at no less than it requests", () => {
    for (const c of [dump!, upload!]) {
      expect(c.resources.requests.cpu, c.name).toMatch(/^\d+m$/);
      expect(memoryBytes(c.resources.limits.memory), c.name).toBeGreaterThanOrEqual(
        memoryBytes(c.resources.requests.memory),
      );
    }
    expect(dump!.resources).toEqual({
      requests: { cpu: "250m", memory: "256Mi" },
      limits: { memory: "1Gi" },
    });
    expect(upload!.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { memory: "512Mi" },
    });
    expect([dump!.image, upload!.image]).toEqual([
      settings.logicalBackup.image,
      settings.logicalBackup.uploaderImage,
    ]);
  });
});
