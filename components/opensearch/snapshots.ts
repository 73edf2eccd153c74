import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupRetention, OpenSearchConfig } from "../../config";
import { childName } from "../core";
import { OpenSearchRest } from "./rest";
import {
  parseDomainArn,
  SNAPSHOT_KINDS,
  snapshotAccessPolicy,
  snapshotBasePath,
  snapshotRepositoryName,
  smPolicyBody,
  snapshotTrustPolicy,
  type SnapshotKind,
} from "./render";

export interface SearchSnapshotsArgs {
  /** Region of the domain and the vault (each region snapshots into its own vault). Required. */
  region: string;
  /** The domain: its ARN (account) and endpoint (the REST calls). Required. */
  domain: { arn: pulumi.Input<string>; endpoint: pulumi.Input<string> };
  /** The region's backup vault. Required. */
  vault: {
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
  };
  /** backup.retention: opensearchSnapshotDays and opensearchDeltaDays (seed 16.2). Required. */
  retention: BackupRetention;
  /** The opensearch section (snapshot crons). Required. */
  settings: OpenSearchConfig;
}

/**
 * Snapshots of one domain into its region's vault (seed 16.2): a role OpenSearch Service assumes
 * (trusted by es.amazonaws.com, limited to the vault's opensearch/ snapshot prefixes and its key),
 * one S3 repository per prefix, and a snapshot management policy per repository: daily full into
 * opensearch/snapshots/ and hourly into opensearch/delta/, deleted after the backup.retention days.
 *
 * Registering a repository passes the role to OpenSearch Service: the identity running
 * `pulumi up` needs iam:PassRole on it and es:ESHttpPut on the domain (the `deployerPolicyArn`
 * policy grants both: attach it to the deploying role), and, with fine-grained access control,
 * its IAM ARN mapped to the `manage_snapshots` role (README, runbook).
 */
export class SearchSnapshots extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  /** Managed policy for the deploying identity: iam:PassRole on the role, es:ESHttp* on the domain. */
  public readonly deployerPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: SearchSnapshotsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vega:opensearch:SearchSnapshots", name, {}, opts);
    const child = { parent: this };
    const { region } = args;
    const domainArn = pulumi.output(args.domain.arn);
    const account = domainArn.apply((arn) => parseDomainArn(arn).account);

    const role = new aws.iam.Role(
      childName(name, "role"),
      {
        description: "OpenSearch Service writes snapshots into the backup vault",
        assumeRolePolicy: account.apply((a) => JSON.stringify(snapshotTrustPolicy(a))),
      },
      child,
    );
    const access = new aws.iam.RolePolicy(
      childName(name, "role-access"),
      {
        role: role.name,
        policy: pulumi
          .all([args.vault.bucketArn, args.vault.kmsKeyArn])
          .apply(([bucket, key]) => JSON.stringify(snapshotAccessPolicy(bucket, key))),
      },
      child,
    );
    const deployer = new aws.iam.Policy(
      childName(name, "deployer"),
      {
        description:
          "Attach to the identity running pulumi up: registers the snapshot repositories",
        policy: pulumi.all([role.arn, domainArn]).apply(([roleArn, domain]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "iam:PassRole", Resource: roleArn },
              { Effect: "Allow", Action: "es:ESHttp*", Resource: `${domain}/*` },
            ],
          }),
        ),
      },
      child,
    );

    for (const kind of Object.keys(SNAPSHOT_KINDS) as SnapshotKind[]) {
      const repository = new OpenSearchRest(
        childName(name, `${kind}-repository`),
        {
          kind: "snapshotRepository",
          endpoint: args.domain.endpoint,
          region,
          spec: pulumi.all([args.vault.bucketName, role.arn]).apply(([bucket, roleArn]) => ({
            name: snapshotRepositoryName(kind),
            bucket,
            basePath: snapshotBasePath(kind, region),
            region,
            roleArn,
          })),
        },
        // The role must be able to write before the repository is verified against the bucket.
        { ...child, dependsOn: [access, deployer] },
      );
      new OpenSearchRest(
        childName(name, `${kind}-policy`),
        {
          kind: "smPolicy",
          endpoint: args.domain.endpoint,
          region,
          spec: {
            name: `vega-${kind}`,
            body: smPolicyBody(kind, args.settings, args.retention),
          },
        },
        { ...child, dependsOn: [repository] },
      );
    }

    this.roleArn = role.arn;
    this.deployerPolicyArn = deployer.arn;
    this.registerOutputs({ roleArn: this.roleArn, deployerPolicyArn: this.deployerPolicyArn });
  }
}
