/** Mutations that prove the metadata database rules of postgres.ts (see mutation.ts). */
import type { RecordedResource } from "../components/core/plan";
import { editInputs, type PolicyMutation } from "./mutation";
import {
  postgresBackupRetention,
  postgresDeletionProtection,
  postgresEncrypted,
  postgresForceSsl,
  postgresMultiAz,
  postgresNotPublic,
} from "./postgres";

const INSTANCE = "aws:rds/instance:Instance";
/** A standalone instance: neither a replica nor a restore drill (the primary's, promoted DR's). */
const STANDALONE = {
  type: INSTANCE,
  where: (r: RecordedResource) =>
    r.inputs.replicateSourceDb === undefined && r.inputs.restoreToPointInTime === undefined,
};
/** A replica of another region's database (the unpromoted DR stack's). */
const CROSS_REGION_REPLICA = {
  type: INSTANCE,
  where: (r: RecordedResource) =>
    typeof r.inputs.replicateSourceDb === "string" && r.inputs.replicateSourceDb.startsWith("arn:"),
};

export const postgresMutations: PolicyMutation[] = [
  {
    rule: postgresMultiAz,
    breaks: "the database in one zone",
    apply: editInputs(STANDALONE, (p) => (p.multiAz = false)),
  },
  {
    rule: postgresBackupRetention,
    breaks: "automated backups kept 1 day",
    apply: editInputs(STANDALONE, (p) => (p.backupRetentionPeriod = 1)),
  },
  {
    rule: postgresDeletionProtection,
    breaks: "the database's deletion protection off",
    apply: editInputs(STANDALONE, (p) => (p.deletionProtection = false)),
  },
  {
    rule: postgresDeletionProtection,
    breaks: "the database deleted without a final snapshot",
    apply: editInputs(STANDALONE, (p) => (p.skipFinalSnapshot = true)),
  },
  {
    rule: postgresEncrypted,
    breaks: "the database unencrypted",
    apply: editInputs(STANDALONE, (p) => (p.storageEncrypted = false)),
  },
  {
    rule: postgresEncrypted,
    breaks: "the database under the AWS-managed key",
    apply: editInputs(STANDALONE, (p) => delete p.kmsKeyId),
  },
  {
    rule: postgresEncrypted,
    breaks: "the cross-region replica without a key of its region",
    apply: editInputs(CROSS_REGION_REPLICA, (p) => delete p.kmsKeyId),
  },
  {
    rule: postgresNotPublic,
    breaks: "the database publicly accessible",
    apply: editInputs({ type: INSTANCE }, (p) => (p.publiclyAccessible = true)),
  },
  {
    rule: postgresForceSsl,
    breaks: "the parameter group lets clients in without TLS",
    apply: editInputs({ type: "aws:rds/parameterGroup:ParameterGroup" }, (p) => {
      p.parameters.find((x: { name: string }) => x.name === "rds.force_ssl").value = "0";
    }),
  },
  {
    rule: postgresForceSsl,
    breaks: "the database on the default parameter group",
    apply: editInputs({ type: INSTANCE }, (p) => delete p.parameterGroupName),
  },
];
