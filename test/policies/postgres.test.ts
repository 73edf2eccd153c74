import { describe, expect, it } from "vitest";
import { SEED_WAL_RETENTION_DAYS } from "../../config";
import {
  postgresBackupRetention,
  postgresDeletionProtection,
  postgresEncrypted,
  postgresForceSsl,
  postgresMultiAz,
  postgresNotPublic,
  postgresPolicies,
} from "../../policies/postgres";
import { runPolicies } from "../../policies/runner";
import type { VegaPolicy } from "../../policies/rule";
import type { RecordedResource } from "../harness";
import { stackConfig } from "../harness/stack-config";
import { recordedResource } from "../harness/records";
import {
  primaryInstanceArgs,
  crossRegionReplicaArgs,
  dbParameters,
} from "../../components/postgres";

const rec = recordedResource;

const settings = stackConfig("primary").postgres;
const KEY = "arn:aws:kms:us-east-1:123456789012:key/k";
const context = {
  region: "us-east-1",
  settings,
  identifier: "db",
  kmsKeyArn: KEY,
  parameterGroupName: "params",
  securityGroupId: "sg-1",
};
/** What the component builds: the rules must pass these. */
const primary = primaryInstanceArgs(context, "subnets", "db-final") as unknown as Record<
  string,
  unknown
>;
const drReplica = crossRegionReplicaArgs(
  { ...context, region: "us-west-2", kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/k" },
  "arn:aws:rds:us-east-1:123456789012:db:db",
  "subnets",
) as unknown as Record<string, unknown>;
const instance = (inputs: Record<string, unknown>) =>
  rec("aws:rds/instance:Instance", "db", inputs);

async function messages(policy: VegaPolicy, inputs: RecordedResource): Promise<string[]> {
  return (await runPolicies([inputs], {}, [policy])).violations.map((v) => v.message);
}

describe("postgres policies", () => {
  it("pass what the component builds, primary and cross-region replica alike", async () => {
    const report = await runPolicies(
      [instance(primary), instance(drReplica)],
      {},
      postgresPolicies,
    );
    expect(report.violations).toEqual([]);
  });

  it("catch a single-AZ primary", async () => {
    expect(await messages(postgresMultiAz, instance({ ...primary, multiAz: false }))).toEqual([
      expect.stringContaining("multiAz must be true"),
    ]);
  });

  it("catch automated backups shorter than the seed's WAL retention", async () => {
    const found = await messages(
      postgresBackupRetention,
      instance({ ...primary, backupRetentionPeriod: SEED_WAL_RETENTION_DAYS - 1 }),
    );
    expect(found.join()).toMatch(new RegExp(`expected at least ${SEED_WAL_RETENTION_DAYS}`));
  });

  it("catch missing deletion protection and a skipped final snapshot", async () => {
    expect(
      await messages(
        postgresDeletionProtection,
        instance({ ...primary, deletionProtection: false }),
      ),
    ).toEqual([expect.stringContaining("deletionProtection must be true")]);
    expect(
      await messages(postgresDeletionProtection, instance({ ...primary, skipFinalSnapshot: true })),
    ).toEqual([expect.stringContaining("skipFinalSnapshot must be false")]);
  });

  it("catch an unencrypted instance and a cross-region replica without a key of its region", async () => {
    expect(
      await messages(postgresEncrypted, instance({ ...primary, storageEncrypted: false })),
    ).toEqual([expect.stringContaining("storageEncrypted must be true")]);
    expect(
      await messages(postgresEncrypted, instance({ ...drReplica, kmsKeyId: undefined })),
    ).toEqual([expect.stringContaining("needs kmsKeyId")]);
  });

  it("catch a publicly accessible instance", async () => {
    expect(
      await messages(postgresNotPublic, instance({ ...drReplica, publiclyAccessible: true })),
    ).toEqual([expect.stringContaining("publiclyAccessible must be false")]);
  });

  it("catch a parameter group without rds.force_ssl, and an instance on the default group", async () => {
    const group = (parameters: unknown) =>
      rec("aws:rds/parameterGroup:ParameterGroup", "params", { family: "postgres17", parameters });
    expect(await messages(postgresForceSsl, group(dbParameters(settings)))).toEqual([]);
    expect(
      await messages(
        postgresForceSsl,
        group(dbParameters(settings).filter((p) => p.name !== "rds.force_ssl")),
      ),
    ).toEqual([expect.stringContaining("rds.force_ssl must be 1")]);
    expect(
      await messages(postgresForceSsl, instance({ ...primary, parameterGroupName: undefined })),
    ).toEqual([expect.stringContaining("parameterGroupName")]);
  });
});

describe("postgres policies at their edges", () => {
  const all = async (inputs: RecordedResource) =>
    (await runPolicies([inputs], {}, postgresPolicies)).violations.map((v) => v.message);

  it("leave instances of other engines alone", async () => {
    expect(await all(instance({ engine: "mysql" }))).toEqual([]);
  });

  it("spare a restore drill Multi-AZ and deletion protection", async () => {
    const drill = instance({ ...primary, restoreToPointInTime: { useLatestRestorableTime: true } });
    expect(
      await all({
        ...drill,
        plainInputs: { ...drill.plainInputs, multiAz: false, deletionProtection: false },
      }),
    ).toEqual([]);
  });

  it("say a standalone instance without backup retention keeps 0 days", async () => {
    expect(
      await messages(
        postgresBackupRetention,
        instance({ ...primary, backupRetentionPeriod: undefined }),
      ),
    ).toEqual([`backupRetentionPeriod is 0, expected at least ${SEED_WAL_RETENTION_DAYS}`]);
  });

  it("take a replica's own key for encryption, and ask a cross-region one for it", async () => {
    expect(
      await messages(postgresEncrypted, instance({ ...drReplica, storageEncrypted: undefined })),
    ).toEqual([]);
    expect(
      await messages(
        postgresEncrypted,
        instance({ ...drReplica, storageEncrypted: true, kmsKeyId: undefined }),
      ),
    ).toEqual([
      "a cross-region replica of an encrypted source needs kmsKeyId (a key in its region)",
    ]);
  });

  it("judge only PostgreSQL DB parameter groups, by the rds.force_ssl parameter itself", async () => {
    const group = (type: string, family: string | undefined, parameters?: unknown) =>
      rec(type, "params", { family, parameters });
    const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
    expect(await messages(postgresForceSsl, group(PARAMETER_GROUP, "mysql8.0", []))).toEqual([]);
    expect(await messages(postgresForceSsl, group(PARAMETER_GROUP, undefined, []))).toEqual([]);
    expect(
      await messages(
        postgresForceSsl,
        group("aws:rds/clusterParameterGroup:ClusterParameterGroup", "postgres17", []),
      ),
    ).toEqual([]);
    expect(await messages(postgresForceSsl, group(PARAMETER_GROUP, "postgres17"))).toEqual([
      "rds.force_ssl must be 1 (TLS only)",
    ]);
    expect(
      await messages(
        postgresForceSsl,
        group(PARAMETER_GROUP, "postgres17", [
          { name: "log_connections", value: "1" },
          { name: "rds.force_ssl", value: "0" },
        ]),
      ),
    ).toEqual(["rds.force_ssl must be 1 (TLS only)"]);
  });
});
