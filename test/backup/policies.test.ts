/**
 * The replication role's policies (components/backup/policies.ts), judged by what they allow, as
 * IAM would evaluate them (test/harness/iam.ts), against what S3 replication needs: the S3 User
 * Guide, "Setting up permissions for live replication" and "Replicating encrypted objects"
 * (replication-config-for-kms-objects: kms:ViaService of S3 in each bucket's region, the
 * encryption context the bucket ARN with S3 Bucket Keys, the object ARN without).
 */
import { describe, expect, it } from "vitest";
import { replicationRolePolicy, serviceAssumeRolePolicy } from "../../components/backup/policies";
import { iamAllows, type IamRequest } from "../harness/iam";

const source = {
  region: "us-east-1",
  bucketArn: "arn:aws:s3:::vega-prod-use1-backup",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/source",
};
const destination = {
  region: "us-west-2",
  bucketArn: "arn:aws:s3:::vega-prod-usw2-backup",
  kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/destination",
};
const policy = replicationRolePolicy({ source, destination });
const allows = (request: IamRequest) => iamAllows(policy, request);
const object = (bucketArn: string) => `${bucketArn}/metadata/daily/2026-12-03.dump`;
const viaS3 = (end: typeof source, encryptionContext: string) => ({
  "kms:ViaService": `s3.${end.region}.amazonaws.com`,
  "kms:EncryptionContext:aws:s3:arn": encryptionContext,
});

describe("the replication role's policy", () => {
  it("is in IAM's current policy language", () => {
    expect(policy.Version).toBe("2012-10-17");
  });

  it("reads the source bucket's replication configuration and listing", () => {
    for (const action of ["s3:GetReplicationConfiguration", "s3:ListBucket"])
      expect(allows({ action, resource: source.bucketArn }), action).toBe(true);
  });

  it("reads every source version with its ACL, tags and object-lock state", () => {
    for (const action of [
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "s3:GetObjectRetention",
      "s3:GetObjectLegalHold",
    ])
      expect(allows({ action, resource: object(source.bucketArn) }), action).toBe(true);
  });

  it("writes replicas, their deletes and tags into the destination only", () => {
    for (const action of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]) {
      expect(allows({ action, resource: object(destination.bucketArn) }), action).toBe(true);
      expect(allows({ action, resource: object(source.bucketArn) }), action).toBe(false);
    }
  });

  it("may not delete, overwrite or reconfigure anything", () => {
    for (const [action, resource] of [
      ["s3:DeleteObjectVersion", object(destination.bucketArn)],
      ["s3:PutObject", object(destination.bucketArn)],
      ["s3:PutReplicationConfiguration", source.bucketArn],
      ["s3:GetObject", object(destination.bucketArn)],
    ] as const)
      expect(allows({ action, resource }), action).toBe(false);
  });

  it("decrypts with the source key through S3 in the source region, with or without bucket keys", () => {
    for (const context of [source.bucketArn, object(source.bucketArn)])
      expect(
        allows({
          action: "kms:Decrypt",
          resource: source.kmsKeyArn,
          context: viaS3(source, context),
        }),
        context,
      ).toBe(true);
    expect(
      allows({
        action: "kms:Decrypt",
        resource: source.kmsKeyArn,
        context: viaS3(destination, source.bucketArn),
      }),
    ).toBe(false);
    expect(
      allows({
        action: "kms:Decrypt",
        resource: source.kmsKeyArn,
        context: viaS3(source, "arn:aws:s3:::another-bucket"),
      }),
    ).toBe(false);
  });

  it("encrypts replicas with the destination key through S3 in the destination region", () => {
    for (const action of ["kms:Encrypt", "kms:GenerateDataKey"])
      for (const context of [destination.bucketArn, object(destination.bucketArn)])
        expect(
          allows({ action, resource: destination.kmsKeyArn, context: viaS3(destination, context) }),
          `${action} ${context}`,
        ).toBe(true);
    expect(
      allows({
        action: "kms:Encrypt",
        resource: destination.kmsKeyArn,
        context: viaS3(source, destination.bucketArn),
      }),
    ).toBe(false);
    expect(
      allows({
        action: "kms:Decrypt",
        resource: destination.kmsKeyArn,
        context: viaS3(destination, destination.bucketArn),
      }),
    ).toBe(false);
  });
});

describe("a service role's trust policy", () => {
  it("lets exactly that service assume the role", () => {
    expect(serviceAssumeRolePolicy("s3.amazonaws.com")).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
  });
});

describe("the test evaluator itself", () => {
  const doc = (statements: object[]) => ({
    Version: "2012-10-17" as const,
    Statement: statements as never,
  });
  it("denies by default, lets an explicit Deny win, and fails an unknown condition operator", () => {
    const allow = { Effect: "Allow", Action: "s3:*", Resource: "*" };
    expect(iamAllows(doc([]), { action: "s3:GetObject", resource: "x" })).toBe(false);
    expect(iamAllows(doc([allow]), { action: "S3:getobject", resource: "x" })).toBe(true);
    expect(
      iamAllows(doc([allow, { Effect: "Deny", Action: "s3:GetObject", Resource: "*" }]), {
        action: "s3:GetObject",
        resource: "x",
      }),
    ).toBe(false);
    expect(
      iamAllows(doc([{ ...allow, Condition: { NumericLessThan: { "s3:max-keys": "10" } } }]), {
        action: "s3:GetObject",
        resource: "x",
        context: { "s3:max-keys": "5" },
      }),
    ).toBe(false);
    // Bool: the request's value must be the one named.
    const tlsOnly = doc([{ ...allow, Condition: { Bool: { "aws:SecureTransport": "true" } } }]);
    const overTls = (value: string) =>
      iamAllows(tlsOnly, {
        action: "s3:GetObject",
        resource: "x",
        context: { "aws:SecureTransport": value },
      });
    expect([overTls("true"), overTls("false")]).toEqual([true, false]);
  });
});
