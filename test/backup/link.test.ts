import { beforeAll, describe, expect, it } from "vitest";
import { BackupReplication, type BackupReplicationArgs } from "../../components/backup";
import { synth, synthFailures, type Synth } from "../harness";

const SOURCE_REGION = "us-east-1";
const DESTINATION_REGION = "us-west-2";
const source: BackupReplicationArgs["source"] = {
  region: SOURCE_REGION,
  bucketName: "src",
  bucketArn: "arn:aws:s3:::src",
  kmsKeyArn: "arn:aws:kms:us-east-1:1:key/a",
  objectLockEnabled: true,
  alertTopicArn: "arn:aws:sns:us-east-1:1:alerts",
  stack: "acme/vega-ha/primary",
};
const destination: BackupReplicationArgs["destination"] = {
  region: DESTINATION_REGION,
  bucketName: "dst",
  bucketArn: "arn:aws:s3:::dst",
  kmsKeyArn: "arn:aws:kms:us-west-2:1:key/b",
  objectLockEnabled: true,
};
const args: BackupReplicationArgs = {
  source,
  destination,
  enabled: true,
  replicationTimeControl: false,
  deleteMarkerReplication: false,
};

let s: Synth;
let description: string;
beforeAll(async () => {
  s = await synth(() => {
    const link = new BackupReplication("link", args);
    return { description: link.role.description };
  });
  description = (s.outputs as { description: string }).description;
});

describe("BackupReplication", () => {
  it("refuses, at once, two ends in one region", () => {
    expect(
      () =>
        new BackupReplication("same", {
          ...args,
          destination: { ...destination, region: source.region },
        }),
    ).toThrow(/both in us-east-1/);
  });

  it("describes its role with the real regions, not an Output's toString text", () => {
    expect(description).toBe(`S3 replication ${SOURCE_REGION} -> ${DESTINATION_REGION}`);
    expect(s.one("aws:iam/role:Role").inputs.description).toBe(description);
  });

  it("places the configuration on the source bucket, in the source region, after its role policy", () => {
    const config = s.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "link-config");
    expect(config.region).toBe(source.region);
    expect(config.inputs.bucket).toBe(source.bucketName);
    expect(config.dependencies).toContain(
      s.one("aws:iam/rolePolicy:RolePolicy", "link-role-policy").urn,
    );
  });

  it("passes the options through: RTC off here, delete markers off", () => {
    const rule = (
      s.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules as any[]
    )[0];
    expect(rule.status).toBe("Enabled");
    expect(rule.destination.replicationTime).toBeUndefined();
    expect(rule.destination.metrics).toEqual({ status: "Enabled" });
    expect(rule.deleteMarkerReplication).toEqual({ status: "Disabled" });
  });

  it("owns the replication-failure alarms, in the source region on the source's topic", () => {
    const alarms = s.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.region).toBe(source.region);
      expect(alarm.inputs.alarmActions).toEqual([source.alertTopicArn]);
      expect(s.parentOf(s.parentOf(alarm)!)?.type).toBe("vega:backup:BackupReplication");
    }
  });

  it("retains every AWS child on delete: promotion removes them without calling AWS", () => {
    const children = s.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(children.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
      ]),
    );
    expect(children.filter((r) => !r.retainOnDelete).map((r) => r.name)).toEqual([]);
  });
});

describe("BackupReplication with Object Lock at one end only", () => {
  it("refuses a locked primary into an unlocked DR vault, naming both keys", async () => {
    const failures = await synthFailures(() => {
      new BackupReplication("link", {
        ...args,
        destination: { ...destination, objectLockEnabled: false },
      });
    });
    expect(failures.map((f) => f.message).join("\n")).toMatch(
      /vega-ha:backup\.objectLock\.enabled is false here but acme\/vega-ha\/primary exports backup\.objectLockEnabled: true/,
    );
  });

  it("keeps the link, its rule Disabled, when replication is switched off (no check needed)", async () => {
    const off = await synth(() => {
      new BackupReplication("link", {
        ...args,
        enabled: false,
        destination: { ...destination, objectLockEnabled: false },
      });
    });
    const rule = (
      off.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules as any[]
    )[0];
    expect(rule.status).toBe("Disabled");
  });
});
