import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterInputs, PostgresConfig } from "../../config";
import { childName, IRSA_ROLE_ANNOTATION, irsaTrustPolicy } from "../core";
import { workloadLabels } from "../workload";
import { logicalBackupCronJobSpec, logicalBackupWriterPolicy } from "./logical-backup";
import { logicalBackupScripts } from "./scripts";

export interface LogicalBackupArgs {
  /** AWS region of the vault and the IAM role's use. Required. */
  region: string;
  /** The `vega-ha:postgres` settings. Required. */
  settings: PostgresConfig;
  /** Namespace of the CronJob and its objects. Required. */
  namespace: pulumi.Input<string>;
  /**
   * Name of the CronJob; the VegaLogicalBackupTooOld alert watches it
   * (observability.targets.logicalBackupCronJob). Required.
   */
  cronJobName: string;
  /** The cluster (its OIDC provider, for the IAM role of the pod). Required. */
  cluster: pulumi.Input<ClusterInputs>;
  /** The region's backup vault: bucket and key. Required. */
  vault: {
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
  };
  /** Secret with the backup role's PG* connection settings. Required. */
  credentialsSecret: pulumi.Input<string>;
}

/**
 * The daily pg_dump (seed 16.2) as a CronJob whose pod dumps, verifies and uploads to
 * `metadata/daily/` of the vault under an IRSA role that may write that prefix only.
 */
export class LogicalBackup extends pulumi.ComponentResource {
  public readonly cronJobName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: LogicalBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vega:postgres:LogicalBackup", name, {}, opts);
    const child = { parent: this };
    const labels = workloadLabels(args.cronJobName, "logical-backup");
    const serviceAccount = args.cronJobName;
    const cluster = pulumi.output(args.cluster);

    const role = new aws.iam.Role(
      childName(name, "role"),
      {
        description: `${args.cronJobName}: writes metadata/daily/ of the backup vault`,
        assumeRolePolicy: pulumi
          .all([cluster, pulumi.output(args.namespace)])
          .apply(([c, namespace]) =>
            JSON.stringify(
              irsaTrustPolicy({
                oidcProviderArn: c.oidcProviderArn,
                oidcProviderUrl: c.oidcProviderUrl,
                namespace,
                serviceAccount,
              }),
            ),
          ),
      },
      child,
    );
    new aws.iam.RolePolicy(
      childName(name, "role-policy"),
      {
        role: role.name,
        policy: pulumi
          .all([args.vault.bucketArn, args.vault.kmsKeyArn])
          .apply(([bucketArn, keyArn]) =>
            JSON.stringify(logicalBackupWriterPolicy(bucketArn, keyArn)),
          ),
      },
      child,
    );
    const account = new k8s.core.v1.ServiceAccount(
      childName(name, "service-account"),
      {
        metadata: {
          name: serviceAccount,
          namespace: args.namespace,
          labels,
          annotations: { [IRSA_ROLE_ANNOTATION]: role.arn },
        },
        automountServiceAccountToken: false,
      },
      child,
    );
    const scripts = new k8s.core.v1.ConfigMap(
      childName(name, "scripts"),
      {
        metadata: { name: `${args.cronJobName}-scripts`, namespace: args.namespace, labels },
        data: logicalBackupScripts(),
      },
      child,
    );
    const cronJob = new k8s.batch.v1.CronJob(
      childName(name, "cronjob"),
      {
        metadata: { name: args.cronJobName, namespace: args.namespace, labels },
        spec: logicalBackupCronJobSpec({
          settings: args.settings,
          name: args.cronJobName,
          namespace: args.namespace,
          serviceAccountName: account.metadata.name,
          scriptsConfigMap: scripts.metadata.name,
          credentialsSecret: args.credentialsSecret,
          bucketName: args.vault.bucketName,
          region: args.region,
          labels,
        }),
      },
      child,
    );
    this.cronJobName = cronJob.metadata.name;
    this.roleArn = role.arn;
    this.registerOutputs({ cronJobName: this.cronJobName, roleArn: this.roleArn });
  }
}
