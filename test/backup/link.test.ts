import { beforeAll, describe, expect, it } from "vitest";
import { BackupReplication } from "../../components/backup";
import { synth, type Synth } from "../harness";

const source = {
  region: "us-east-1",
  bucketName: "src",
  bucketArn: "arn:aws:s3:::src",
  kmsKeyArn: "arn:aws:kms:us-east-1:1:key/a",
};
const destination = {
  region: "us-west-2",
  bucketName: "dst",
  bucketArn: "arn:aws:s3:::dst",
  kmsKeyArn: "arn:aws:kms:us-west-2:1:key/b",
};

let s: Synth;
beforeAll(async () => {
  s = await synth(() => {
    new BackupReplication("link", { source, destination, replicationTimeControl: false });
  });
});

describe("BackupReplication", () => {
  it("refuses, at once, two ends in one region", () => {
    expect(
      () =>
        new BackupReplication("same", {
          source,
          destination: { ...destination, region: source.region },
        }),
    ).toThrow(/both in us-east-1/);
  });

  it("places the configuration on the source bucket, in the source region, after its role policy", () => {
    const config = s.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "link-config");
    expect(config.region).toBe(source.region);
    expect(config.inputs.bucket).toBe(source.bucketName);
    expect(config.dependencies).toContain(
      s.one("aws:iam/rolePolicy:RolePolicy", "link-role-policy").urn,
    );
  });

  it("passes the options through: RTC off here, delete markers off by default", () => {
    const rule = (
      s.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules as any[]
    )[0];
    expect(rule.destination.replicationTime).toBeUndefined();
    expect(rule.deleteMarkerReplication).toEqual({ status: "Disabled" });
  });
});
