import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  OPENSEARCH_ZONES,
  type BackupRetention,
  type NetworkInputs,
  type OpenSearchConfig,
} from "../../config";
import { childName } from "../core";
import {
  clusterConfig,
  domainAccessPolicy,
  ebsOptions,
  LOG_TYPES,
  logGroupName,
  logResourcePolicy,
  searchDomainName,
  TLS_SECURITY_POLICY,
} from "./render";
import { SearchSnapshots } from "./snapshots";

/** HTTPS, the only port the domain listens on. */
export const DOMAIN_PORT = 443;

export interface SearchDomainArgs {
  /** AWS region of the domain and every child. Required. */
  region: string;
  /** The `vega-ha:opensearch` section (seed defaults applied). Required. */
  settings: OpenSearchConfig;
  /** VPC and private subnets: the first 3 private subnets (3 zones) host the domain. Required. */
  network: pulumi.Input<NetworkInputs>;
  /** The region's KMS key (the backup vault's): encryption at rest and the master password secret. Required. */
  kmsKeyArn: pulumi.Input<string>;
  /** The region's backup vault: snapshots go there (opensearch/ prefixes). Default: no snapshots. */
  snapshots?: {
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    /** backup.retention: the single source of the snapshot retention days. */
    retention: BackupRetention;
  };
  /** Protect the domain against deletion. Default true. */
  protect?: boolean;
}

/** Throws at once on arguments that cannot work. */
export function validateSearchDomainArgs(name: string, args: SearchDomainArgs): void {
  searchDomainName(name);
  if (args.settings.data.count % OPENSEARCH_ZONES !== 0)
    throw new Error(
      `SearchDomain ${name}: vega-ha:opensearch.data.count ${args.settings.data.count} is not a multiple of ${OPENSEARCH_ZONES}`,
    );
}

/** The domain's subnets: one per zone; fewer than 3 cannot carry zone awareness over 3 zones. */
export function domainSubnets(privateSubnetIds: readonly string[]): string[] {
  if (privateSubnetIds.length < OPENSEARCH_ZONES)
    throw new Error(
      `vega-ha:platform.network.privateSubnetIds: expected at least ${OPENSEARCH_ZONES} subnets (one per zone) for the zone-aware OpenSearch domain, got ${privateSubnetIds.length}`,
    );
  return privateSubnetIds.slice(0, OPENSEARCH_ZONES);
}

/**
 * One region's OpenSearch Service domain (seed 16.1, 17.1): 3 data nodes over 3 zones, 3
 * dedicated masters, gp3, encrypted at rest (the region's key) and between nodes, HTTPS only
 * (TLS 1.2+ with forward secrecy), fine-grained access control with a generated master password,
 * inside the VPC, slow and error logs in CloudWatch, Auto-Tune; and its snapshots into the vault.
 */
export class SearchDomain extends pulumi.ComponentResource {
  public readonly domain: aws.opensearch.Domain;
  public readonly domainName: string;
  public readonly domainArn: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly engineVersion: string;
  public readonly region: string;
  /** The account the domain lives in (CloudWatch's ClientId dimension). */
  public readonly accountId: pulumi.Output<string>;
  /** Secrets Manager secret holding the FGAC master user and password. */
  public readonly masterUserSecretArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: SearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    validateSearchDomainArgs(name, args);
    super("vega:opensearch:SearchDomain", name, {}, opts);
    const { region, settings: s } = args;
    const child = { parent: this };
    const domainName = searchDomainName(name);
    const network = pulumi.output(args.network);
    const account = aws.getCallerIdentityOutput({}, child).accountId;

    // Open to the domain's own nodes and the configured clients (the cluster), on 443 only.
    const sg = new aws.ec2.SecurityGroup(
      childName(name, "sg"),
      {
        region,
        vpcId: network.vpcId,
        description: `${domainName}: HTTPS from the cluster only`,
        revokeRulesOnDelete: true,
      },
      child,
    );
    const sources: { key: string; id: pulumi.Input<string> }[] = [
      { key: "self", id: sg.id },
      ...s.clientSecurityGroupIds.map((id, i) => ({ key: `client-${i}`, id })),
    ];
    for (const source of sources) {
      new aws.vpc.SecurityGroupIngressRule(
        childName(name, `in-${source.key}`),
        {
          region,
          securityGroupId: sg.id,
          description: `${source.key} to the OpenSearch domain on ${DOMAIN_PORT}`,
          ipProtocol: "tcp",
          fromPort: DOMAIN_PORT,
          toPort: DOMAIN_PORT,
          referencedSecurityGroupId: source.id,
        },
        child,
      );
    }

    const logGroups = LOG_TYPES.map(
      (type) =>
        new aws.cloudwatch.LogGroup(
          childName(name, `log-${type.toLowerCase().replace(/_/g, "-")}`),
          { region, name: logGroupName(domainName, type), retentionInDays: s.logRetentionDays },
          child,
        ),
    );
    // OpenSearch checks it may write the log groups when publishing is switched on: the domain
    // depends on this resource policy (AWS developer guide, "Monitoring OpenSearch logs").
    const logPolicy = new aws.cloudwatch.LogResourcePolicy(
      childName(name, "log-policy"),
      {
        region,
        policyName: `${domainName}-logs`,
        policyDocument: pulumi
          .all([pulumi.all(logGroups.map((g) => g.arn)), account])
          .apply(([arns, acct]) => JSON.stringify(logResourcePolicy(arns, acct))),
      },
      child,
    );

    // FGAC master password: 8-128 characters with upper, lower, digit and special (AWS rules).
    const password = new random.RandomPassword(
      childName(name, "master-password"),
      {
        length: 32,
        minUpper: 1,
        minLower: 1,
        minNumeric: 1,
        minSpecial: 1,
        overrideSpecial: "!#%*()-_=+[]{}:?",
      },
      child,
    );
    const secret = new aws.secretsmanager.Secret(
      childName(name, "master-user"),
      {
        region,
        description: `FGAC master user of OpenSearch domain ${domainName}`,
        kmsKeyId: args.kmsKeyArn,
        recoveryWindowInDays: 30,
      },
      child,
    );
    new aws.secretsmanager.SecretVersion(
      childName(name, "master-user-value"),
      {
        region,
        secretId: secret.id,
        secretString: pulumi.secret(
          pulumi.jsonStringify({ username: s.masterUserName, password: password.result }),
        ),
      },
      child,
    );

    this.domain = new aws.opensearch.Domain(
      childName(name, "domain"),
      {
        region,
        domainName,
        engineVersion: s.engineVersion,
        clusterConfig: clusterConfig(s),
        ebsOptions: ebsOptions(s),
        encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_SECURITY_POLICY },
        advancedSecurityOptions: {
          enabled: true,
          internalUserDatabaseEnabled: true,
          masterUserOptions: {
            masterUserName: s.masterUserName,
            // Secret already (random marks it so); said again so no code path can unwrap it.
            masterUserPassword: pulumi.secret(password.result),
          },
        },
        vpcOptions: {
          subnetIds: network.privateSubnetIds.apply(domainSubnets),
          securityGroupIds: [sg.id],
        },
        logPublishingOptions: LOG_TYPES.map((logType, i) => ({
          logType,
          enabled: true,
          cloudwatchLogGroupArn: logGroups[i]!.arn,
        })),
        autoTuneOptions: {
          desiredState: "ENABLED",
          rollbackOnDisable: "NO_ROLLBACK",
          useOffPeakWindow: true,
        },
        offPeakWindowOptions: { enabled: true },
      },
      { ...child, protect: args.protect ?? true, dependsOn: [logPolicy] },
    );

    new aws.opensearch.DomainPolicy(
      childName(name, "access-policy"),
      {
        region,
        domainName: this.domain.domainName,
        accessPolicies: this.domain.arn.apply((arn) => JSON.stringify(domainAccessPolicy(arn))),
      },
      child,
    );

    this.domainName = domainName;
    this.domainArn = this.domain.arn;
    this.endpoint = this.domain.endpoint;
    this.engineVersion = s.engineVersion;
    this.region = region;
    this.accountId = account;
    this.masterUserSecretArn = secret.arn;
    this.securityGroupId = sg.id;

    if (args.snapshots) {
      new SearchSnapshots(
        childName(name, "snapshots"),
        {
          region,
          domain: { arn: this.domainArn, endpoint: this.endpoint },
          vault: args.snapshots,
          retention: args.snapshots.retention,
          settings: s,
        },
        child,
      );
    }

    this.registerOutputs({
      domainName,
      domainArn: this.domainArn,
      endpoint: this.endpoint,
      engineVersion: this.engineVersion,
      region,
    });
  }
}
