/**
 * The daily logical backup (seed 16.2: pg_dump, daily, 30 days), as plain data: the CronJob's
 * schedule and spec, and the IAM policy of its role. The component (backup-job.ts) creates them.
 *
 * The pod runs two containers in order: `dump` (an init container with the engine's pg_dump)
 * runs backup.sh into an emptyDir outbox (write, verify, move into place), then `upload` (the
 * AWS CLI image) runs upload.sh, which publishes the outbox to the vault through a temporary
 * key. Either failing fails the Job, so the CronJob's last success (what the
 * VegaLogicalBackupTooOld alert reads) means a verified dump and manifest are in the vault.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "../../config";
import { BACKUP_PREFIXES } from "../backup/lifecycle";
import type { PolicyDocument } from "../core";
import { containerSecurityContext, podSecurityContext, TMP_MOUNT, TMP_VOLUME } from "../workload";
import { SCRIPTS_MOUNT } from "./scripts";

/** Seed 16.1: s3://<vault>/metadata/daily/<date>.dump (+ .manifest). */
export const LOGICAL_BACKUP_PREFIX = BACKUP_PREFIXES.metadataDaily.prefix;
const OUTBOX = "/outbox";

/** "01:00" → "0 1 * * *" (the CronJob runs in Etc/UTC). */
export function dailySchedule(startUtc: string): string {
  const [hour, minute] = startUtc.split(":").map(Number) as [number, number];
  return `${minute} ${hour} * * *`;
}

/** The role's permissions: write under the prefix only, and use the vault's key for that. */
export function logicalBackupWriterPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteDailyDumps",
        Effect: "Allow",
        // Get: the copy from the temporary key and the read-back; Delete: the temporary key.
        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
        Resource: `${bucketArn}/${LOGICAL_BACKUP_PREFIX}*`,
      },
      {
        Sid: "UseVaultKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: kmsKeyArn,
      },
    ],
  };
}

export interface LogicalBackupSpecArgs {
  settings: PostgresConfig;
  /** CronJob name (the alert watches its last success). */
  name: string;
  namespace: pulumi.Input<string>;
  serviceAccountName: pulumi.Input<string>;
  scriptsConfigMap: pulumi.Input<string>;
  /** Secret with PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE of the backup role. */
  credentialsSecret: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  region: string;
  labels: Record<string, string>;
}

export function logicalBackupCronJobSpec(
  a: LogicalBackupSpecArgs,
): k8s.types.input.batch.v1.CronJobSpec {
  const b = a.settings.logicalBackup;
  const mounts = [
    { name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true },
    { name: "outbox", mountPath: OUTBOX },
    TMP_MOUNT,
  ];
  return {
    schedule: dailySchedule(b.startUtc),
    timeZone: "Etc/UTC",
    concurrencyPolicy: "Forbid",
    // A run missed by more than this (controller down) is skipped; the age alert then fires.
    startingDeadlineSeconds: 3600,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels: a.labels },
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: b.deadlineSeconds,
        template: {
          metadata: { labels: a.labels },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: a.serviceAccountName,
            // The pod never calls the Kubernetes API; the IRSA webhook mounts its own AWS token.
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(),
            volumes: [
              { name: "scripts", configMap: { name: a.scriptsConfigMap, defaultMode: 0o555 } },
              { name: "outbox", emptyDir: {} },
              TMP_VOLUME,
            ],
            initContainers: [
              {
                name: "dump",
                image: b.image,
                command: ["bash", `${SCRIPTS_MOUNT}/backup.sh`, a.settings.databaseName],
                envFrom: [{ secretRef: { name: a.credentialsSecret } }],
                env: [{ name: "BACKUP_DEST", value: OUTBOX }],
                securityContext: containerSecurityContext(),
                resources: {
                  requests: { cpu: "250m", memory: "256Mi" },
                  limits: { memory: "1Gi" },
                },
                volumeMounts: mounts,
              },
            ],
            containers: [
              {
                name: "upload",
                image: b.uploaderImage,
                command: [
                  "bash",
                  `${SCRIPTS_MOUNT}/upload.sh`,
                  OUTBOX,
                  a.bucketName,
                  LOGICAL_BACKUP_PREFIX,
                ] as pulumi.Input<string>[],
                env: [
                  { name: "AWS_REGION", value: a.region },
                  { name: "HOME", value: "/tmp" },
                ],
                securityContext: containerSecurityContext(),
                resources: {
                  requests: { cpu: "100m", memory: "128Mi" },
                  limits: { memory: "512Mi" },
                },
                volumeMounts: mounts,
              },
            ],
          },
        },
      },
    },
  };
}
