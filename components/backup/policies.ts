/** IAM and bucket policy documents of the backup vault, as plain data. */
import { ELB_LOG_DELIVERY_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE } from "./elb-accounts";

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const objects = (bucketArn: string) => `${bucketArn}/*`;

/** Denies every request not made over TLS 1.2 or later. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  const resources = [bucketArn, objects(bucketArn)];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyTlsOlderThan12",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
    ],
  };
}

export interface LoadBalancerLogDelivery {
  bucketArn: string;
  /** Prefix the load balancer writes under (no leading or trailing slash). */
  prefix: string;
  /** Account that owns the load balancers (logs land under AWSLogs/<account>/). */
  accountId: string;
  region: string;
}

/**
 * Lets Elastic Load Balancing write access logs, and nothing else: only PutObject, only under
 * `<prefix>/AWSLogs/<own account>/`. The regional ELB account is named where the region has
 * one (regions before August 2022), the service principal always (regions since).
 */
export function loadBalancerLogDeliveryStatements(d: LoadBalancerLogDelivery): PolicyStatement[] {
  const resource = `${d.bucketArn}/${d.prefix}/AWSLogs/${d.accountId}/*`;
  const legacyAccount = ELB_LOG_DELIVERY_ACCOUNTS[d.region];
  return [
    ...(legacyAccount
      ? [
          {
            Sid: "ElbLogDeliveryRegionalAccount",
            Effect: "Allow" as const,
            Principal: { AWS: `arn:aws:iam::${legacyAccount}:root` },
            Action: "s3:PutObject",
            Resource: resource,
          },
        ]
      : []),
    {
      Sid: "ElbLogDeliveryService",
      Effect: "Allow",
      Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: resource,
    },
  ];
}

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
