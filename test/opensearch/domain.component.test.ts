import * as aws from "@pulumi/aws";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DOMAIN_NAME_PATTERN,
  domainSubnets,
  LOG_TYPES,
  OPENSEARCH_REST_TYPE,
  SearchDomain,
  searchDomainName,
  TLS_SECURITY_POLICY,
} from "../../components/opensearch";
import { BACKUP_PREFIXES } from "../../components/backup";
import { parseStackConfig } from "../../config";
import { minimalPrimary } from "../harness/config";
import { synth, type Synth } from "../harness";
import { EC2_DESCRIPTION } from "../harness/aws-limits";
import { iamAllows } from "../harness/iam";

const raw = minimalPrimary();
raw.opensearch = { clientSecurityGroupIds: ["sg-0123456789abcdef0"] };
const config = parseStackConfig(raw);
const REGION = "eu-central-1";
const KEY = "arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const VAULT = { bucketName: "vault", bucketArn: "arn:aws:s3:::vault", kmsKeyArn: KEY };
const network = config.platform.network!;
let s: Synth;

beforeAll(async () => {
  s = await synth(() => {
    const provider = new aws.Provider("test-aws", { region: "us-east-1" });
    new SearchDomain(
      "vega-test-euc1-search",
      {
        region: REGION,
        settings: config.opensearch,
        network,
        kmsKeyArn: KEY,
        snapshots: { ...VAULT, retention: config.backup.retention },
      },
      { provider },
    );
  });
});

const domain = () => s.one("aws:opensearch/domain:Domain", "-domain");
const inputs = () => domain().inputs as Record<string, any>;
const policyDoc = (type: string, suffix: string, field: string) =>
  JSON.parse(s.one(type, suffix).inputs[field] as string);

describe("SearchDomain", () => {
  it("is a vega:opensearch:SearchDomain; children are named <name>-<role>, in its region", () => {
    const c = s.one("vega:opensearch:SearchDomain", "vega-test-euc1-search");
    const children = s.childrenOf(c);
    expect(children.length).toBeGreaterThan(8);
    for (const child of children) {
      expect(child.name.startsWith("vega-test-euc1-search-")).toBe(true);
      if (child.type.startsWith("aws:") && !child.type.startsWith("aws:iam/"))
        expect(child.region, child.name).toBe(REGION);
    }
  });

  it("has a valid, stable domain name (3-28, lower case, starts with a letter)", () => {
    expect(inputs().domainName).toBe("vega-test-euc1-search");
    const long = searchDomainName("vega-production-apsoutheast2-search");
    expect(long.length).toBeLessThanOrEqual(28);
    expect(long).toMatch(DOMAIN_NAME_PATTERN);
    expect(searchDomainName("vega-production-apsoutheast2-search")).toBe(long);
  });

  it("runs 3 data nodes over 3 zones with 3 dedicated masters, instance types from config", () => {
    expect(inputs().engineVersion).toBe(config.opensearch.engineVersion);
    expect(inputs().clusterConfig).toEqual({
      instanceType: config.opensearch.data.instanceType,
      instanceCount: 3,
      dedicatedMasterEnabled: true,
      dedicatedMasterType: config.opensearch.masters.instanceType,
      dedicatedMasterCount: 3,
      zoneAwarenessEnabled: true,
      zoneAwarenessConfig: { availabilityZoneCount: 3 },
    });
  });

  it("stores data on gp3 with the configured size, IOPS and throughput", () => {
    expect(inputs().ebsOptions).toEqual({
      ebsEnabled: true,
      volumeType: "gp3",
      volumeSize: config.opensearch.storage.volumeSizeGiB,
      iops: config.opensearch.storage.iops,
      throughput: config.opensearch.storage.throughputMiBps,
    });
  });

  it("encrypts at rest with the region's key and between nodes; HTTPS only, TLS 1.2+ PFS", () => {
    expect(inputs().encryptAtRest).toEqual({ enabled: true, kmsKeyId: KEY });
    expect(inputs().nodeToNodeEncryption).toEqual({ enabled: true });
    expect(inputs().domainEndpointOptions).toEqual({
      enforceHttps: true,
      tlsSecurityPolicy: TLS_SECURITY_POLICY,
    });
    expect(TLS_SECURITY_POLICY).toBe("Policy-Min-TLS-1-2-PFS-2023-10");
  });

  it("has fine-grained access control with a generated master password, never in plain text", () => {
    const sec = inputs().advancedSecurityOptions;
    expect(sec.enabled).toBe(true);
    expect(sec.internalUserDatabaseEnabled).toBe(true);
    expect(sec.masterUserOptions.masterUserName).toBe(config.opensearch.masterUserName);
    expect(sec.masterUserOptions.masterUserPassword).toBe("[secret]");
    expect(domain().secretPaths).toContain(
      "advancedSecurityOptions.masterUserOptions.masterUserPassword",
    );
    const version = s.one("aws:secretsmanager/secretVersion:SecretVersion", "-master-user-value");
    expect(version.inputs.secretString).toBe("[secret]");
    const secret = s.one("aws:secretsmanager/secret:Secret", "-master-user");
    expect(secret.inputs.kmsKeyId).toBe(KEY);
  });

  it("sits in the first 3 private subnets behind a group open on 443 to itself and the clients only", () => {
    const sg = s.one("aws:ec2/securityGroup:SecurityGroup", "-sg");
    expect(inputs().vpcOptions).toEqual({
      subnetIds: network.privateSubnetIds.slice(0, 3),
      securityGroupIds: [`${sg.name}-id`],
    });
    const rules = s.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(
      rules
        .map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId])
        .sort(),
    ).toEqual([
      [443, 443, "sg-0123456789abcdef0"],
      [443, 443, `${sg.name}-id`],
    ]);
    expect(
      rules.every((r) => r.inputs.cidrIpv4 === undefined && r.inputs.cidrIpv6 === undefined),
    ).toBe(true);
    expect(s.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toEqual([]);
  });

  it("refuses fewer than 3 subnets from a platform stack, naming the key", () => {
    expect(() => domainSubnets(["subnet-1", "subnet-2"])).toThrow(
      /vega-ha:platform.network.privateSubnetIds: expected at least 3/,
    );
  });

  it("publishes slow and error logs to log groups with retention, after their resource policy", () => {
    const groups = s.ofType("aws:cloudwatch/logGroup:LogGroup");
    expect(groups).toHaveLength(3);
    for (const g of groups)
      expect(g.inputs.retentionInDays).toBe(config.opensearch.logRetentionDays);
    const published = inputs().logPublishingOptions as { logType: string; enabled: boolean }[];
    expect(published.map((p) => p.logType).sort()).toEqual([...LOG_TYPES].sort());
    expect(published.every((p) => p.enabled)).toBe(true);
    const policy = s.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "-log-policy");
    expect(domain().dependencies).toContain(policy.urn);
    const doc = JSON.parse(policy.inputs.policyDocument as string);
    expect(doc.Statement[0].Principal).toEqual({ Service: "es.amazonaws.com" });
    expect(doc.Statement[0].Resource).toHaveLength(3);
    expect(doc.Statement[0].Resource.every((r: string) => r.endsWith(":*"))).toBe(true);
  });

  it("enables Auto-Tune and is protected", () => {
    expect(inputs().autoTuneOptions).toMatchObject({ desiredState: "ENABLED" });
    expect(domain().protect).toBe(true);
  });

  it("its access policy lets followers ESCrossClusterGet the domain ARN, HTTP only for the account", () => {
    const doc = policyDoc(
      "aws:opensearch/domainPolicy:DomainPolicy",
      "-access-policy",
      "accessPolicies",
    );
    const arn = "arn:aws:es:eu-central-1:123456789012:domain/vega-test-euc1-search";
    expect(doc.Statement).toContainEqual(
      expect.objectContaining({ Action: "es:ESCrossClusterGet", Resource: arn, Effect: "Allow" }),
    );
    const http = doc.Statement.find((st: any) => st.Action === "es:ESHttp*");
    expect(http.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(inputs().accessPolicies).toBeUndefined();
  });
});

describe("SearchDomain snapshots", () => {
  it("a role trusted by es.amazonaws.com only, limited to the vault's opensearch/ prefixes and key", () => {
    const trust = policyDoc("aws:iam/role:Role", "-snapshots-role", "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "es.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    ]);
    const access = policyDoc("aws:iam/rolePolicy:RolePolicy", "-snapshots-role-access", "policy");
    const objects = access.Statement.find((st: any) => st.Sid === "ReadWriteSnapshots");
    expect(objects.Resource).toEqual([
      `arn:aws:s3:::vault/${BACKUP_PREFIXES.opensearchSnapshots.prefix}*`,
      `arn:aws:s3:::vault/${BACKUP_PREFIXES.opensearchDelta.prefix}*`,
    ]);
    const key = access.Statement.find((st: any) => st.Sid === "VaultKey");
    expect(key.Resource).toBe(KEY);
    const resources = access.Statement.flatMap((st: any) => [st.Resource].flat());
    expect(resources.every((r: string) => r === KEY || r.startsWith("arn:aws:s3:::vault"))).toBe(
      true,
    );
  });

  it("a deployer policy grants iam:PassRole on that role and es:ESHttp* on the domain", () => {
    const doc = policyDoc("aws:iam/policy:Policy", "-snapshots-deployer", "policy");
    const pass = doc.Statement.find((st: any) => st.Action === "iam:PassRole");
    expect(pass.Resource).toMatch(
      /^arn:aws:iam::123456789012:role\/vega-test-euc1-search-snapshots-role-[0-9a-f]+$/,
    );
    const http = doc.Statement.find((st: any) => st.Action === "es:ESHttp*");
    expect(http.Resource).toBe(
      "arn:aws:es:eu-central-1:123456789012:domain/vega-test-euc1-search/*",
    );
  });

  it("registers one S3 repository per vault prefix through the REST provider, after the role", () => {
    const repos = s
      .ofType(OPENSEARCH_REST_TYPE)
      .filter((r) => r.inputs.kind === "snapshotRepository");
    // Under the vault prefix, then the domain's own region: one writer per repository path.
    expect(repos.map((r) => (r.inputs.spec as any).basePath).sort()).toEqual(
      [BACKUP_PREFIXES.opensearchDelta.prefix, BACKUP_PREFIXES.opensearchSnapshots.prefix]
        .map((p) => `${p}${repos[0]!.region}`)
        .sort(),
    );
    const access = s.one("aws:iam/rolePolicy:RolePolicy", "-snapshots-role-access");
    for (const r of repos) {
      expect(r.inputs.spec).toMatchObject({ bucket: "vault", region: REGION });
      expect(r.dependencies).toContain(access.urn);
      expect(r.inputs.region).toBe(REGION);
    }
  });

  it("SM policies: daily kept opensearchSnapshotDays, hourly kept opensearchDeltaDays", () => {
    const policies = s.ofType(OPENSEARCH_REST_TYPE).filter((r) => r.inputs.kind === "smPolicy");
    const byName = Object.fromEntries(
      policies.map((p) => [(p.inputs.spec as any).name, (p.inputs.spec as any).body]),
    );
    expect(byName["vega-daily"].deletion.condition.max_age).toBe(
      `${config.backup.retention.opensearchSnapshotDays}d`,
    );
    expect(byName["vega-hourly"].deletion.condition.max_age).toBe(
      `${config.backup.retention.opensearchDeltaDays}d`,
    );
    expect(byName["vega-daily"].creation.schedule.cron.expression).toBe(
      config.opensearch.snapshots.dailyCron,
    );
    expect(byName["vega-hourly"].creation.schedule.cron.expression).toBe(
      config.opensearch.snapshots.hourlyCron,
    );
    expect(byName["vega-hourly"].snapshot_config.repository).toBe("vega-hourly");
  });
});

describe("SearchDomain children and the values AWS acts on", () => {
  it("keeps its children's names, their identity (a renamed child is replaced)", () => {
    const c = s.one("vega:opensearch:SearchDomain", "vega-test-euc1-search");
    expect(s.childRoles(c)).toEqual([
      "access-policy",
      "domain",
      "in-client-0",
      "in-self",
      "log-es-application-logs",
      "log-index-slow-logs",
      "log-policy",
      "log-search-slow-logs",
      "master-password",
      "master-user",
      "master-user-value",
      "sg",
      "snapshots",
    ]);
  });

  it("describes its security group and rules in words EC2 accepts; its rules go with it", () => {
    const sg = s.one("aws:ec2/securityGroup:SecurityGroup", "-sg");
    expect(sg.inputs.description).toMatch(EC2_DESCRIPTION);
    expect(sg.inputs.description).toContain(inputs().domainName);
    expect(sg.inputs.revokeRulesOnDelete).toBe(true);
    for (const rule of s.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
      expect(rule.inputs.description, rule.name).toMatch(EC2_DESCRIPTION);
      expect(rule.inputs.ipProtocol, rule.name).toBe("tcp");
    }
  });

  it("names its log resource policy after the domain (one policy per domain in the account's region)", () => {
    const policy = s.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "-log-policy");
    expect(String(policy.inputs.policyName).startsWith(`${inputs().domainName}-`)).toBe(true);
  });

  it("stores the very master user and password the domain was given, in its KMS-encrypted secret", () => {
    const version = s.one("aws:secretsmanager/secretVersion:SecretVersion", "-master-user-value");
    const master = (domain().plainInputs as any).advancedSecurityOptions.masterUserOptions;
    expect(JSON.parse(version.plainInputs.secretString as string)).toEqual({
      username: config.opensearch.masterUserName,
      password: master.masterUserPassword,
    });
    expect(master.masterUserPassword).toMatch(/.{8,}/);
    const secret = s.one("aws:secretsmanager/secret:Secret", "-master-user");
    expect(secret.inputs.description).toContain(inputs().domainName);
  });

  it("generates a password FGAC accepts: 8-128 characters, each class, specials that need no quoting", () => {
    const p = s.one("random:index/randomPassword:RandomPassword", "-master-password").inputs;
    expect(p.length).toBeGreaterThanOrEqual(8);
    expect(p.length).toBeLessThanOrEqual(128);
    expect([p.minUpper, p.minLower, p.minNumeric, p.minSpecial]).toEqual([1, 1, 1, 1]);
    // Without overrideSpecial the provider draws from its default set, which has @ < > &.
    expect(p.overrideSpecial).toMatch(/^[^\s"'\\/@<>&`$]+$/);
  });

  it("lets Auto-Tune act only in the off-peak window, and keeps its tuning when switched off", () => {
    expect(inputs().autoTuneOptions).toEqual({
      desiredState: "ENABLED",
      rollbackOnDisable: "NO_ROLLBACK",
      useOffPeakWindow: true,
    });
    // useOffPeakWindow needs the domain's off-peak window on (OpenSearch Service API, AutoTuneOptions).
    expect(inputs().offPeakWindowOptions).toEqual({ enabled: true });
  });

  it("takes the first 3 private subnets, one per zone, however many the platform has", () => {
    expect(domainSubnets(["subnet-a", "subnet-b", "subnet-c", "subnet-d"])).toEqual([
      "subnet-a",
      "subnet-b",
      "subnet-c",
    ]);
  });

  it("refuses a data node count that is not a multiple of the zones, naming the key, before creating anything", () => {
    const settings = { ...config.opensearch, data: { ...config.opensearch.data, count: 4 } };
    expect(
      () =>
        new SearchDomain("vega-test-euc1-search", {
          region: REGION,
          settings,
          network,
          kmsKeyArn: KEY,
        }),
    ).toThrow(
      "SearchDomain vega-test-euc1-search: vega-ha:opensearch.data.count 4 is not a multiple of 3",
    );
  });
});

describe("SearchDomain without snapshots, unprotected", () => {
  let bare: Synth;
  beforeAll(async () => {
    bare = await synth(() => {
      new SearchDomain("vega-bare-search", {
        region: REGION,
        settings: { ...config.opensearch, clientSecurityGroupIds: ["sg-1", "sg-2"] },
        network,
        kmsKeyArn: KEY,
        protect: false,
      });
    });
  });

  it("registers no repository, policy or snapshot role, and is not protected", () => {
    const c = bare.one("vega:opensearch:SearchDomain", "vega-bare-search");
    expect(bare.childRoles(c)).not.toContain("snapshots");
    expect(bare.ofType(OPENSEARCH_REST_TYPE)).toEqual([]);
    expect(bare.ofType("aws:iam/role:Role")).toEqual([]);
    expect(bare.one("aws:opensearch/domain:Domain").protect).toBe(false);
  });

  it("opens 443 to itself and to each client group, one rule each", () => {
    const rules = bare.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((r) => r.name).sort()).toEqual([
      "vega-bare-search-in-client-0",
      "vega-bare-search-in-client-1",
      "vega-bare-search-in-self",
    ]);
    expect(rules.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual([
      "sg-1",
      "sg-2",
      `${bare.one("aws:ec2/securityGroup:SecurityGroup").name}-id`,
    ]);
  });
});

describe("SearchDomain snapshots: as IAM and the SM API take them", () => {
  const IAM_TEXT = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{1,1000}$/;

  it("the role is assumed by OpenSearch Service for the domain's own account only", () => {
    const trust = policyDoc("aws:iam/role:Role", "-snapshots-role", "assumeRolePolicy");
    const assume = (account: string) =>
      iamAllows(trust, {
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::123456789012:role/snapshots",
        context: { "aws:SourceAccount": account },
      });
    expect(assume("123456789012")).toBe(true);
    expect(assume("999999999999")).toBe(false);
  });

  it("the deployer may pass that role and call the domain's REST API, nothing more", () => {
    const doc = policyDoc("aws:iam/policy:Policy", "-snapshots-deployer", "policy");
    const role = s.one("aws:iam/role:Role", "-snapshots-role");
    const roleArn = `arn:aws:iam::123456789012:role/${role.name}`;
    const domainArn = "arn:aws:es:eu-central-1:123456789012:domain/vega-test-euc1-search";
    const allows = (action: string, resource: string) => iamAllows(doc, { action, resource });
    expect(doc.Version).toBe("2012-10-17");
    expect(allows("iam:PassRole", doc.Statement[0].Resource)).toBe(true);
    expect(doc.Statement[0].Resource).toMatch(new RegExp(`^${roleArn}-[0-9a-f]+$`));
    expect(allows("es:ESHttpPut", `${domainArn}/_snapshot/vega-daily`)).toBe(true);
    expect(allows("es:ESHttpPut", `${domainArn}-other/_snapshot/vega-daily`)).toBe(false);
    expect(allows("iam:PassRole", "arn:aws:iam::123456789012:role/admin")).toBe(false);
  });

  it("describes the role and the deployer policy in words IAM accepts", () => {
    for (const [type, suffix] of [
      ["aws:iam/role:Role", "-snapshots-role"],
      ["aws:iam/policy:Policy", "-snapshots-deployer"],
    ] as const)
      expect(s.one(type, suffix).inputs.description, suffix).toMatch(IAM_TEXT);
  });

  it("creates each SM policy after the repository it snapshots into (SM refuses an unknown repository)", () => {
    const rest = s.ofType(OPENSEARCH_REST_TYPE);
    const policies = rest.filter((r) => r.inputs.kind === "smPolicy");
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const repoName = (policy.inputs.spec as any).body.snapshot_config.repository;
      const repo = rest.find(
        (r) => r.inputs.kind === "snapshotRepository" && (r.inputs.spec as any).name === repoName,
      )!;
      expect(policy.dependencies, policy.name).toContain(repo.urn);
    }
  });
});
