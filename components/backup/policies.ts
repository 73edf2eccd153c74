/** IAM policy documents of the backup replication, as plain data. */
import type { PolicyDocument } from "../core";

const objects = (bucketArn: string) => `${bucketArn}/*`;

/** Trust policy for a role assumed by an AWS service. */
export function serviceAssumeRolePolicy(service: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}

export interface ReplicationEnds {
  source: { region: string; bucketArn: string; kmsKeyArn: string };
  destination: { region: string; bucketArn: string; kmsKeyArn: string };
}

/**
 * What S3 replication needs, and nothing more: read versions (with their lock state) from the
 * source, write replicas to the destination, decrypt with the source key and encrypt with the
 * destination key, each only through S3 in its own region. With S3 Bucket Keys the encryption
 * context is the bucket ARN, without them the object ARN: both are allowed.
 */
export function replicationRolePolicy({ source, destination }: ReplicationEnds): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSourceConfig",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: source.bucketArn,
      },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: [
          "s3:GetObjectVersionForReplication",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectVersionTagging",
          "s3:GetObjectRetention",
          "s3:GetObjectLegalHold",
        ],
        Resource: objects(source.bucketArn),
      },
      {
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: objects(destination.bucketArn),
      },
      {
        Sid: "DecryptSource",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: source.kmsKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${source.region}.amazonaws.com` },
          StringLike: {
            "kms:EncryptionContext:aws:s3:arn": [source.bucketArn, objects(source.bucketArn)],
          },
        },
      },
      {
        Sid: "EncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: destination.kmsKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${destination.region}.amazonaws.com` },
          StringLike: {
            "kms:EncryptionContext:aws:s3:arn": [
              destination.bucketArn,
              objects(destination.bucketArn),
            ],
          },
        },
      },
    ],
  };
}
