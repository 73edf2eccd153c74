/** Mutations that prove the recovery rules of recovery.ts (see mutation.ts). */
import type { ResourceProps } from "../components/core/plan";
import { OPENSEARCH_REST_TYPE } from "../components/opensearch/rest";
import { addExpiringRule, VAULT_LIFECYCLE } from "./backup.mutations";
import { editInputs, removeResource, type PolicyMutation } from "./mutation";
import { objectivesMet } from "./objectives";
import { backupRetentionAtLeastSeed, drReplicationPresent } from "./recovery";

const BUCKET_REPLICATION = { type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig" };
const AUTO_FOLLOW = {
  type: OPENSEARCH_REST_TYPE,
  where: (r: { inputs: ResourceProps }) => r.inputs.kind === "autoFollowRule",
};
const CROSS_REGION_REPLICA = {
  type: "aws:rds/instance:Instance",
  where: (r: { inputs: ResourceProps }) =>
    String(r.inputs.replicateSourceDb ?? "").startsWith("arn:"),
};
const BACKUPS_REPLICATION = {
  type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
};

export const recoveryMutations: PolicyMutation[] = [
  {
    rule: drReplicationPresent,
    breaks: "the DR stack without S3 replication of the primary's vault",
    apply: removeResource(BUCKET_REPLICATION),
  },
  {
    rule: drReplicationPresent,
    breaks: "S3 replication without Replication Time Control",
    // Without RTC S3 guarantees no replication time: the objectives table finds the region
    // failover RPO unbounded by design.
    alsoReportedBy: [objectivesMet],
    apply: editInputs(BUCKET_REPLICATION, (p) => {
      const destination = p.rules[0].destination;
      destination.replicationTime.status = "Disabled";
      // S3 accepts metrics.eventThreshold only together with replicationTime.
      delete destination.metrics.eventThreshold;
    }),
  },
  {
    rule: drReplicationPresent,
    breaks: "the DR stack without an OpenSearch auto-follow rule",
    apply: removeResource(AUTO_FOLLOW),
  },
  {
    rule: drReplicationPresent,
    breaks: "the DR stack without its cross-region RDS replica",
    apply: removeResource(CROSS_REGION_REPLICA),
  },
  {
    rule: drReplicationPresent,
    breaks: "the DR stack without automated-backups replication",
    apply: removeResource(BACKUPS_REPLICATION),
  },
  {
    rule: drReplicationPresent,
    breaks: "automated backups replicated from another instance than the replica's source",
    apply: editInputs(BACKUPS_REPLICATION, (p) => {
      p.sourceDbInstanceArn = `${p.sourceDbInstanceArn}-other`;
    }),
  },
  {
    rule: drReplicationPresent,
    breaks:
      "the writer (primary's, promoted DR's) turned into a cross-region replica, no other link",
    // The new cross-region replica has no ReplicaLag alarm, so the objectives table finds the
    // region failover RPO unbounded: it reports by design.
    alsoReportedBy: [objectivesMet],
    apply: (resources) => {
      const own = resources.find((r) => r.type === "pulumi:providers:aws")?.inputs.region;
      const elsewhere = own === "us-east-1" ? "us-west-2" : "us-east-1";
      return editInputs(
        {
          type: "aws:rds/instance:Instance",
          where: (r) => r.name.endsWith("-postgres-instance") && !r.inputs.replicateSourceDb,
        },
        (p) => (p.replicateSourceDb = `arn:aws:rds:${elsewhere}:123456789012:db:vega-source`),
      )(resources);
    },
  },
  {
    rule: backupRetentionAtLeastSeed,
    breaks: "pg_dumps expired after 7 days",
    apply: editInputs(VAULT_LIFECYCLE, (p) => {
      const rule = p.rules.find((r: ResourceProps) => r.filter?.prefix === "metadata/daily/");
      rule.expiration.days = 7;
    }),
  },
  {
    rule: backupRetentionAtLeastSeed,
    breaks: "a rule on the parent metadata/ prefix expiring pg_dumps after 14 days",
    apply: addExpiringRule("expire-metadata", "metadata/", 14),
  },
  {
    rule: backupRetentionAtLeastSeed,
    breaks: "replicated automated backups kept 3 days",
    apply: editInputs(BACKUPS_REPLICATION, (p) => (p.retentionPeriod = 3)),
  },
];
