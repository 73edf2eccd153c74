/**
 * Refusals whose wording is the user's only guide: each names the key and says what it expects,
 * for a value of the wrong type and for one out of range. Also the application-stack reader of
 * the contract, on its own (test/stack/application-stack.test.ts reads the real program's).
 */
import { describe, expect, it } from "vitest";
import {
  applicationConnections,
  ConfigError,
  configKey,
  CONTRACT_VERSION,
  memoryBytes,
  parameterGroupFamily,
  parseEngineVersion,
  parsePrimaryOutputs,
} from "../../config";
import { LOG_RETENTION_DAYS } from "../../config/types";
import { examplePrimaryOutputs } from "../harness/stack-config";
import { primaryWith, problemsOf } from "../harness/config";

/** The problems of the primary config with one key changed, as `key: message` lines. */
const refusal = (path: string, value: unknown) =>
  problemsOf(primaryWith(path, value)).map((p) => `${p.key}: ${p.message}`);

describe("what a refusal says", () => {
  it.each([
    [
      "postgres.slowStatementMs",
      "fast",
      'vega-ha:postgres.slowStatementMs: expected an integer from 1 to 3600000, got "fast"',
    ],
    [
      "postgres.slowStatementMs",
      0,
      "vega-ha:postgres.slowStatementMs: expected an integer from 1 to 3600000, got 0",
    ],
    [
      "postgres.slowStatementMs",
      3_600_001,
      "vega-ha:postgres.slowStatementMs: expected an integer from 1 to 3600000, got 3600001",
    ],
    ["opensearch.enabled", "yes", 'vega-ha:opensearch.enabled: expected true or false, got "yes"'],
    [
      "kubernetes.createNamespace",
      1,
      "vega-ha:kubernetes.createNamespace: expected true or false, got 1",
    ],
    ["tags", { team: 7 }, "vega-ha:tags.team: expected a string tag value, got 7"],
    [
      "tags",
      { "aws:owner": "x" },
      'vega-ha:tags.aws:owner: expected a tag key: 1 to 128 letters, digits, spaces or _.:/=+@-, not starting with aws: (AWS reserves it), got "aws:owner"',
    ],
    ["tags", "team=x", 'vega-ha:tags: expected a map of tag keys to string values, got "team=x"'],
    // The role decides the rest: a wrong one is reported alone, not with what a DR stack needs.
    ["role", "staging", 'vega-ha:role: expected one of "primary", "dr", got "staging"'],
    ["promoted", true, "vega-ha:promoted: only allowed when role is dr"],
    [
      "primaryStack",
      "acme/vega/dr",
      "vega-ha:primaryStack: only allowed when role is dr (the primary never reads the DR stack)",
    ],
    [
      "edge.dns.healthCheck.requestIntervalSeconds",
      "10",
      'vega-ha:edge.dns.healthCheck.requestIntervalSeconds: expected 10 or 30 (the only intervals Route 53 offers), got "10"',
    ],
    [
      "postgres.performanceInsightsRetentionDays",
      30,
      "vega-ha:postgres.performanceInsightsRetentionDays: expected 7, 31 × months (1 to 23) or 731, got 30",
    ],
    [
      "redis.metrics.scraperNamespaceLabels",
      { "-bad": "x" },
      'vega-ha:redis.metrics.scraperNamespaceLabels.-bad: expected a map of Kubernetes labels (key: value), at least 1, got "-bad"',
    ],
    [
      "redis.metrics.scraperPodLabels",
      { app: 5 },
      "vega-ha:redis.metrics.scraperPodLabels.app: expected a map of Kubernetes labels (key: value), got 5",
    ],
    [
      "redis.metrics.scraperPodLabels",
      "app=prometheus",
      'vega-ha:redis.metrics.scraperPodLabels: expected a map of Kubernetes labels (key: value), got "app=prometheus"',
    ],
  ])("%s = %j", (path, value, expected) => {
    expect(refusal(path, value)).toEqual([expected]);
  });

  it.each([
    [
      "gateway.runtime.circuitBreaker.default.slowCallDurationSeconds",
      "5s",
      "a number of seconds from 0.001 to 3600",
    ],
    [
      "gateway.runtime.circuitBreaker.default.slowCallDurationSeconds",
      3601,
      "a number of seconds from 0.001 to 3600",
    ],
    [
      "gateway.runtime.circuitBreaker.default.failureRateThreshold",
      0,
      "a percentage from 1 to 100",
    ],
    [
      "gateway.runtime.circuitBreaker.default.failureRateThreshold",
      "50%",
      "a percentage from 1 to 100",
    ],
    ["edge.loadBalancer.ingressCidrs", "0.0.0.0/0", "a list of at least one CIDR block"],
    ["edge.loadBalancer.ingressCidrs", [], "a list of at least one CIDR block"],
    ["gateway.runtime.serviceDiscovery.registration.tags", [""], "a tag"],
    ["edge.targetSecurityGroupId", "sg-XYZ", "a security group id such as sg-0a1b2c3d4e5f60718"],
    [
      "edge.targetSecurityGroupId",
      "x-sg-0a1b2c3d",
      "a security group id such as sg-0a1b2c3d4e5f60718",
    ],
    [
      "edge.targetSecurityGroupId",
      "sg-0a1b2c3d-old",
      "a security group id such as sg-0a1b2c3d4e5f60718",
    ],
    [
      "edge.loadBalancer.tlsPolicy",
      "ELBSecurityPolicy-2016-08",
      "an ELBSecurityPolicy-TLS13-1-2-… or -TLS13-1-3-… policy",
    ],
    [
      "edge.dns.healthCheck.requestIntervalSeconds",
      20,
      "10 or 30 \\(the only intervals Route 53 offers\\)",
    ],
    ["observability.runbookBaseUrl", "see https://runbooks.example.com", "an https:// URL"],
    ["backup", "yes", "an object"],
    [
      "edge.certificateArn",
      "arn:aws:iam::123456789012:server-certificate/vega",
      "an ARN of service acm \\(arn:aws:acm:…\\)",
    ],
    [
      "observability.alerting.subscriptions",
      "oncall@example.com",
      "a list of \\{protocol, endpoint\\}",
    ],
    ["observability.dashboards.folder", "", "a folder name"],
    ["opensearch.masterUserName", "1admin", "a user name of letters, digits, - or _"],
    ["opensearch.clientSecurityGroupIds", "sg-0a1b2c3d", "a list of security group ids"],
    [
      "opensearch.clientSecurityGroupIds",
      ["x-sg-0a1b2c3d"],
      "a security group id such as sg-0a1b2c3d",
    ],
    [
      "opensearch.clientSecurityGroupIds",
      ["sg-0a1b2c3d-x"],
      "a security group id such as sg-0a1b2c3d",
    ],
    [
      "opensearch.replication.connectionAlias",
      "Vega",
      "2-40 lower-case letters, digits or dashes, a letter first",
    ],
    ["observability.tracing.endpoint", "", "an endpoint"],
    ["opensearch.engineVersion", "OpenSearch 2.19", "an engine version such as OpenSearch_2.19"],
    [
      "opensearch.engineVersion",
      "OpenSearch_2.4",
      "OpenSearch_2.5 or later \\(snapshot management needs 2.5, cross-cluster replication 1.1\\)",
    ],
    [
      "opensearch.engineVersion",
      "OpenSearch_1.9",
      "OpenSearch_2.5 or later \\(snapshot management needs 2.5, cross-cluster replication 1.1\\)",
    ],
    [
      "opensearch.replication.indexPatterns",
      ["Vega-*"],
      "an index pattern such as vega-\\* \\(lower case, \\* wildcards\\)",
    ],
    [
      "opensearch.data.instanceType",
      "t3.medium.search",
      "data.instanceType: an OpenSearch instance type such as r6g.large.search, not burstable T-class or M3 \\(cross-cluster replication does not run there\\)",
    ],
    ["gateway.runtime.serviceDiscovery.registration.tags", "api", "a list of tags"],
    ["gateway.runtime.serviceDiscovery.services", [], "a list of at least one service"],
    [
      "edge.accessLogs.prefix",
      "Edge/ALB",
      "a prefix such as edge/alb \\(lower case, no leading or trailing slash, no AWSLogs\\)",
    ],
    ["observability.runbookBaseUrl", "https://runbooks.example.com/a b", "an https:// URL"],
    [
      "observability.alerting.subscriptions",
      [{ protocol: "email", endpoint: "" }],
      "an endpoint \\(e-mail, https URL, ARN or phone number\\)",
    ],
    [
      "gateway.image",
      { repository: "vega/gateway:2.4.1", tag: "2.4.1" },
      "an image repository without tag or digest, e.g. registry.example.com/vega/gateway",
    ],
    // What this project does not create: a wrong id here fails the deploy minutes later.
    ["platform.network.vpcId", "vpc-1", "a VPC id such as vpc-0a1b2c3d"],
    [
      "platform.network.publicSubnetIds",
      ["subnet-0a1b2c3d"],
      "a list of at least 2 subnet ids \\(two zones\\)",
    ],
    [
      "platform.network.privateSubnetIds",
      ["subnet-0b11b22c33d44e551", "sn-2", "subnet-0b11b22c33d44e553"],
      "a subnet id such as subnet-0a1b2c3d",
    ],
    ["platform.cluster.name", "", "an EKS cluster name"],
    ["platform.cluster.endpoint", "http://eks.example", "an https:// cluster endpoint"],
    ["platform.cluster.certificateAuthorityData", "", "base64 certificate authority data"],
    [
      "platform.cluster.oidcProviderUrl",
      "http://oidc.eks/id/1",
      "the OIDC issuer without https://",
    ],
    [
      "platform.cluster.oidcProviderUrl",
      "https://oidc.eks/id/1",
      "the OIDC issuer without https://",
    ],
    ["platform.dns.zoneId", "z123", "a Route 53 hosted zone id such as Z0123456789ABC"],
    ["platform.dns.domain", "vega", "a DNS name such as vega.example.com"],
    ["gateway.image", { repository: "vega/gateway", tag: "2.4 .1" }, "an image tag such as 2.4.1"],
    [
      "gateway.image",
      { repository: "vega/gateway", digest: "sha256:abc" },
      "an image digest such as sha256:<64 hex digits>",
    ],
  ])("%s = %j: expected %s", (path, value, expected) => {
    expect(refusal(path, value)).toEqual([
      expect.stringMatching(new RegExp(`^vega-ha:${path}(\\S*)?: expected ${expected}, got `)),
    ]);
  });

  it("takes CIDR blocks of either family, whole", () => {
    const ingress = (cidrs: string[]) => refusal("edge.loadBalancer.ingressCidrs", cidrs);
    expect(ingress(["10.0.0.100/32", "0.0.0.0/0", "2001:db8::/32", "::/0"])).toEqual([]);
    for (const bad of ["any", "x10.0.0.0/8", "10.0.0.0/8 ", "10.0.0/8", "x::/0", "::/0/1"])
      expect(ingress([bad]), bad).toEqual([
        `vega-ha:edge.loadBalancer.ingressCidrs[0]: expected a CIDR block such as 0.0.0.0/0 or ::/0, got ${JSON.stringify(bad)}`,
      ]);
  });

  it("takes a target health check path and status codes, whole", () => {
    const check = (field: string, value: string) =>
      refusal(`edge.targetGroup.healthCheck.${field}`, value);
    for (const path of ["/", "/healthz", "/api/v1/health?deep=1"])
      expect(check("path", path)).toEqual([]);
    for (const path of ["health", "x/health", "/he alth"])
      expect(check("path", path), path).toEqual([
        `vega-ha:edge.targetGroup.healthCheck.path: expected a path starting with /, got ${JSON.stringify(path)}`,
      ]);
    for (const codes of ["200", "200-299", "200,302"]) expect(check("matcher", codes)).toEqual([]);
    for (const codes of ["x200", "200x", "500", "20"])
      expect(check("matcher", codes), codes).toEqual([
        `vega-ha:edge.targetGroup.healthCheck.matcher: expected HTTP codes such as 200 or 200-299, got ${JSON.stringify(codes)}`,
      ]);
  });

  it("lists CloudWatch's retention values when a log retention is not one of them", () => {
    const values = LOG_RETENTION_DAYS.join(", ");
    for (const bad of [45, "30"])
      expect(refusal("postgres.logRetentionDays", bad)).toEqual([
        `vega-ha:postgres.logRetentionDays: expected one of CloudWatch's retention values ${values}, got ${JSON.stringify(bad)}`,
      ]);
  });

  it("takes any OpenSearch version from 2.5 on", () => {
    for (const version of ["OpenSearch_2.5", "OpenSearch_3.0", "OpenSearch_10.1"])
      expect(refusal("opensearch.engineVersion", version), version).toEqual([]);
  });

  it("takes the Performance Insights retentions RDS accepts: 7, 31 × months, 731", () => {
    for (const days of [7, 31, 62, 731])
      expect(refusal("postgres.performanceInsightsRetentionDays", days)).toEqual([]);
    for (const days of [8, 32, 94, 730])
      expect(refusal("postgres.performanceInsightsRetentionDays", days)).toHaveLength(1);
  });

  it("refuses a maintenance window shorter than 30 minutes, on that key", () => {
    expect(refusal("postgres.maintenanceWindow", "sun:04:00-sun:04:29")).toEqual([
      'vega-ha:postgres.maintenanceWindow: expected a window of at least 30 minutes (RDS refuses shorter), got "sun:04:00-sun:04:29"',
    ]);
    expect(refusal("postgres.maintenanceWindow", "sun:04:00-sun:04:30")).toEqual([]);
  });

  it("names a key at the root of the namespace, and a list index in brackets", () => {
    expect(configKey([])).toBe("vega-ha:");
    expect(configKey(["workers", "pools", 0, "name"])).toBe("vega-ha:workers.pools[0].name");
  });
});

describe("the config error itself", () => {
  it("counts its problems and lists each under its key, one per line", () => {
    const one = new ConfigError([{ key: "vega-ha:a", message: "expected x, got 1" }]);
    expect(one.name).toBe("ConfigError");
    expect(one.message).toBe("invalid stack config (1 problem):\n  vega-ha:a: expected x, got 1");
    const two = new ConfigError([
      { key: "vega-ha:a", message: "m1" },
      { key: "vega-ha:b", message: "m2" },
    ]);
    expect(two.message).toBe(
      "invalid stack config (2 problems):\n  vega-ha:a: m1\n  vega-ha:b: m2",
    );
  });

  it("writes list indexes in brackets, every other segment after a dot", () => {
    expect(configKey(["workers", "pools", "10", "b1", "1b"])).toBe(
      "vega-ha:workers.pools[10].b1.1b",
    );
  });

  it("shows a value of up to 80 characters whole, a longer one cut to 77 and an ellipsis", () => {
    const shown = (value: string) => refusal("environment", value)[0]!.split(", got ")[1];
    const whole = "A".repeat(78); // 80 with its quotes
    expect(shown(whole)).toBe(JSON.stringify(whole));
    const long = "A".repeat(79);
    expect(shown(long)).toBe(`${JSON.stringify(long).slice(0, 77)}...`);
  });
});

describe("circuit breaker windows", () => {
  const breaker = (cb: Record<string, unknown>) =>
    problemsOf(primaryWith("gateway.runtime.circuitBreaker", cb)).map(
      (p) => `${p.key}: ${p.message}`,
    );
  const tooFew = (window: number) =>
    `expected at most slidingWindowSize (${window}): the breaker would never have enough calls to open`;

  it("refuses a default minimumCalls above its window, once, on the default's key", () => {
    expect(breaker({ default: { minimumCalls: 11, slidingWindowSize: 10 } })).toEqual([
      `vega-ha:gateway.runtime.circuitBreaker.default.minimumCalls: ${tooFew(10)}, got 11`,
    ]);
    expect(breaker({ default: { minimumCalls: 10, slidingWindowSize: 10 } })).toEqual([]);
  });

  it("refuses a service's own minimumCalls above the window it inherits, on the service's key", () => {
    expect(
      breaker({
        default: { minimumCalls: 5, slidingWindowSize: 20 },
        services: { trino: { minimumCalls: 21 } },
      }),
    ).toEqual([
      `vega-ha:gateway.runtime.circuitBreaker.services.trino.minimumCalls: ${tooFew(20)}, got 21`,
    ]);
  });

  it("refuses a service's own window below the minimumCalls it inherits, showing the inherited value", () => {
    expect(
      breaker({
        default: { minimumCalls: 15, slidingWindowSize: 20 },
        services: { embedding_service: { slidingWindowSize: 10 } },
      }),
    ).toEqual([
      `vega-ha:gateway.runtime.circuitBreaker.services.embedding_service.minimumCalls: ${tooFew(10)}, got 15`,
    ]);
  });
});

describe("the contract's readers", () => {
  const redis = {
    sentinelAddress: "vega-redis-sentinel.vega:26379",
    masterGroup: "vega",
    authSecret: "vega-redis-auth",
  };
  const outputs = () => ({ ...examplePrimaryOutputs(), redis });

  it("names the root when the outputs are not an object at all", () => {
    expect(() => parsePrimaryOutputs(null as never, "acme/vega-ha/primary")).toThrow(
      /\n {2}\(root\): /,
    );
  });

  it.each([
    ["backup", "bucketArn"],
    ["backup", "kmsKeyArn"],
    ["observability", "alertTopicArn"],
    ["opensearch", "domainArn"],
  ] as const)("refuses a %s.%s that is not an ARN", (section, field) => {
    const outputs: Record<string, any> = examplePrimaryOutputs();
    outputs[section] = { ...outputs[section], [field]: "vega-prod-use1-backup" };
    expect(() => parsePrimaryOutputs(outputs, "p")).toThrow(`\n  ${section}.${field}: `);
  });

  it("takes an OpenSearch_<major>.<minor> engine version, whole", () => {
    const withVersion = (engineVersion: string) => ({
      ...examplePrimaryOutputs(),
      opensearch: { ...examplePrimaryOutputs().opensearch!, engineVersion },
    });
    expect(parsePrimaryOutputs(withVersion("OpenSearch_10.0"), "p").opensearch!.engineVersion).toBe(
      "OpenSearch_10.0",
    );
    for (const bad of [
      "Elasticsearch_7.10",
      "x-OpenSearch_2.19",
      "OpenSearch_2.19-rc1",
      "OpenSearch_2",
    ])
      expect(() => parsePrimaryOutputs(withVersion(bad), "p"), bad).toThrow(
        "\n  opensearch.engineVersion: ",
      );
  });

  it("lists every field that is off, one per line", () => {
    const outputs = { ...examplePrimaryOutputs(), region: 1, environment: 2 };
    expect(() => parsePrimaryOutputs(outputs, "p")).toThrow(
      /:\n {2}environment: [^\n]+\n {2}region: /,
    );
  });

  it("takes a DR stack's SECONDARY record (a promoted DR stack during failback), nothing else", () => {
    const dr = (failover: string) => ({
      ...examplePrimaryOutputs(),
      role: "dr",
      promoted: true,
      edge: { ...examplePrimaryOutputs().edge, failover },
    });
    expect(parsePrimaryOutputs(dr("SECONDARY"), "d").edge.failover).toBe("SECONDARY");
    expect(() => parsePrimaryOutputs(dr("TERTIARY"), "d")).toThrow("\n  edge.failover: ");
  });

  it("gives an application its connection settings from a writable primary, TLS required", () => {
    const primary = outputs();
    expect(applicationConnections(primary, "acme/vega-ha/primary")).toEqual({
      postgres: {
        host: primary.postgres!.endpoint,
        port: primary.postgres!.port,
        database: primary.postgres!.databaseName,
        sslmode: "require",
        credentialsSecret: primary.postgres!.appCredentialsSecret,
      },
      redis,
    });
  });

  it("refuses a read replica's outputs, and ones without credentials", () => {
    const replica = `acme/vega-ha/dr's database is a read replica (DR before promotion): connect to the primary stack`;
    const primary = outputs();
    expect(() =>
      applicationConnections(
        { ...primary, postgres: { ...primary.postgres, writable: false } },
        "acme/vega-ha/dr",
      ),
    ).toThrow(replica);
    const { appCredentialsSecret: _, ...withoutSecret } = primary.postgres!;
    expect(() =>
      applicationConnections({ ...primary, postgres: withoutSecret }, "acme/vega-ha/dr"),
    ).toThrow(replica);
  });

  it("names the fields that break the contract, and a missing section", () => {
    expect(() => applicationConnections({ ...outputs(), region: 1, role: "x" }, "s")).toThrow(
      `outputs of s do not follow contract v${CONTRACT_VERSION}: role, region`,
    );
    const primary = outputs();
    expect(() =>
      applicationConnections({ ...primary, postgres: { ...primary.postgres, port: "5432" } }, "s"),
    ).toThrow(`contract v${CONTRACT_VERSION}: postgres.port`);
    expect(() => applicationConnections(examplePrimaryOutputs(), "s")).toThrow(
      /no "redis" section/,
    );
    const { postgres: _, ...withoutPostgres } = outputs();
    expect(() => applicationConnections(withoutPostgres, "s")).toThrow(/no "postgres" section/);
  });
});

describe("OpenSearch engine versions", () => {
  it("reads OpenSearch_<major>.<minor> whole, nothing else", () => {
    expect(parseEngineVersion("OpenSearch_10.12")).toEqual({ major: 10, minor: 12 });
    for (const bad of [
      "Elasticsearch_7.10",
      "x_OpenSearch_2.19",
      "OpenSearch_2.19.1",
      "OpenSearch_2",
    ])
      expect(parseEngineVersion(bad), bad).toBeUndefined();
  });
});

describe("small helpers", () => {
  it("parameterGroupFamily is RDS's postgres<major>", () => {
    expect(parameterGroupFamily(15)).toBe("postgres15");
  });

  it("memoryBytes reads a quantity without a unit as bytes and refuses to guess a bad one", () => {
    expect(memoryBytes("1024")).toBe(1024);
    expect(memoryBytes("2Ki")).toBe(2048);
    expect(memoryBytes("lots")).toBeNaN();
  });
});
