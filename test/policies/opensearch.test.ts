import { beforeAll, describe, expect, it } from "vitest";
import { OPENSEARCH_REST_TYPE } from "../../components/opensearch/rest";
import { blocking, runPolicies } from "../../policies/runner";
import { statefulProtected } from "../../policies/backup";
import { openSearchPolicies } from "../../policies/opensearch";
import { synthDr, type RecordedResource, type Synth } from "../harness";
import { recordedResource } from "../harness/records";

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr();
});

const DOMAIN = "aws:opensearch/domain:Domain";

function mutate(
  target: RecordedResource,
  change: (r: RecordedResource) => Partial<RecordedResource>,
): RecordedResource[] {
  return dr.resources.map((r) =>
    r.urn === target.urn ? { ...structuredClone(r), ...change(structuredClone(r)) } : r,
  );
}

async function violationsOf(resources: RecordedResource[]) {
  const report = await runPolicies(resources, {}, openSearchPolicies);
  return [...new Set(report.violations.map((v) => v.policy))];
}

// Rules read plainInputs (what the engine hands them): break those.
const domainWith = (patch: (inputs: any) => void) =>
  mutate(dr.one(DOMAIN, "-search-domain"), (r) => {
    patch(r.plainInputs);
    return { plainInputs: r.plainInputs };
  });

describe("opensearch rules", () => {
  it("pass on the DR stack as synthesised (domain, connection, acceptance, auto-follow)", async () => {
    expect(blocking(await runPolicies(dr.resources, {}, openSearchPolicies))).toEqual([]);
  });

  const cases: [string, (inputs: any) => void][] = [
    ["vega-opensearch-zone-aware", (i) => (i.clusterConfig.zoneAwarenessEnabled = false)],
    [
      "vega-opensearch-zone-aware",
      (i) => (i.clusterConfig.zoneAwarenessConfig.availabilityZoneCount = 2),
    ],
    ["vega-opensearch-zone-aware", (i) => (i.clusterConfig.instanceCount = 2)],
    ["vega-opensearch-dedicated-masters", (i) => (i.clusterConfig.dedicatedMasterEnabled = false)],
    ["vega-opensearch-encrypted", (i) => (i.encryptAtRest = { enabled: false })],
    ["vega-opensearch-encrypted", (i) => (i.nodeToNodeEncryption = { enabled: false })],
    ["vega-opensearch-https-only", (i) => (i.domainEndpointOptions.enforceHttps = false)],
    [
      "vega-opensearch-https-only",
      (i) => (i.domainEndpointOptions.tlsSecurityPolicy = "Policy-Min-TLS-1-0-2019-07"),
    ],
    ["vega-opensearch-fgac", (i) => (i.advancedSecurityOptions.enabled = false)],
    ["vega-opensearch-not-public", (i) => delete i.vpcOptions],
  ];
  it.each(cases)("%s catches a broken domain", async (rule, patch) => {
    expect(await violationsOf(domainWith(patch))).toEqual([rule]);
  });

  it("vega-stateful-protected (policies/backup.ts) catches an unprotected domain", async () => {
    const domain = dr.one(DOMAIN, "-search-domain");
    const report = await runPolicies(
      mutate(domain, () => ({ protect: false })),
      {},
      [statefulProtected],
    );
    expect(report.violations.map((v) => v.message)).toEqual([
      `${domain.name} must be created with protect: true`,
    ]);
  });

  it("vega-opensearch-not-public catches an access policy open to everyone", async () => {
    const policy = dr.one("aws:opensearch/domainPolicy:DomainPolicy", "-search-access-policy");
    const open = mutate(policy, (r) => {
      const doc = JSON.parse(r.plainInputs.accessPolicies as string);
      doc.Statement[0].Principal = { AWS: "*" };
      return { plainInputs: { ...r.plainInputs, accessPolicies: JSON.stringify(doc) } };
    });
    expect(await violationsOf(open)).toEqual(["vega-opensearch-not-public"]);
  });

  describe("vega-opensearch-ccr-owned-by-dr", () => {
    const ccr = ["vega-opensearch-ccr-owned-by-dr"];
    it("catches a connection that does not start from this stack's domain", async () => {
      const c = dr.one("aws:opensearch/outboundConnection:OutboundConnection", "-connection");
      const leaderSide = mutate(c, (r) => ({
        plainInputs: {
          ...r.plainInputs,
          localDomainInfo: {
            ...(r.plainInputs.localDomainInfo as object),
            domainName: "someone-else",
          },
        },
      }));
      expect(await violationsOf(leaderSide)).toEqual(ccr);
    });

    it("catches an acceptance of a connection this stack does not declare (the leader accepting)", async () => {
      const a = dr.one(
        "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
        "-accepter",
      );
      expect(await violationsOf(mutate(a, () => ({ dependencies: [] })))).toEqual(ccr);
    });

    it("catches an auto-follow rule that does not wait for the acceptance", async () => {
      const rule = dr.ofType(OPENSEARCH_REST_TYPE).find((r) => r.inputs.kind === "autoFollowRule")!;
      expect(await violationsOf(mutate(rule, () => ({ dependencies: [] })))).toEqual(ccr);
    });
  });
});

describe("the domain rules on a domain given nothing", () => {
  const domain = (inputs: Record<string, unknown>) => [recordedResource(DOMAIN, "search", inputs)];
  // The domain's own rules (the snapshot schedules are a stack rule, tested above).
  const messages = async (inputs: Record<string, unknown>) =>
    (await runPolicies(domain(inputs), {}, openSearchPolicies)).violations
      .filter((v) => v.policy !== "vega-opensearch-snapshot-schedules")
      .map((v) => `${v.policy}: ${v.message}`);

  it("names every missing safeguard, and does not crash on the missing blocks", async () => {
    expect(await messages({})).toEqual([
      "vega-opensearch-zone-aware: zone awareness is off",
      "vega-opensearch-zone-aware: availabilityZoneCount must be 3",
      "vega-opensearch-zone-aware: instanceCount 1 is not a multiple of 3 (at least 3)",
      "vega-opensearch-dedicated-masters: expected 3 dedicated masters",
      "vega-opensearch-encrypted: encryptAtRest must be enabled with a kmsKeyId",
      "vega-opensearch-encrypted: nodeToNodeEncryption must be enabled",
      "vega-opensearch-https-only: enforceHttps must be true",
      "vega-opensearch-https-only: tlsSecurityPolicy must be one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10",
      "vega-opensearch-fgac: advancedSecurityOptions (fine-grained access control) is off",
      "vega-opensearch-not-public: no vpcOptions: the endpoint would be public",
    ]);
  });

  it("takes either TLS 1.2 policy, 3 zones with any multiple of 3 nodes, and wants the key with encryption", async () => {
    const sound = {
      clusterConfig: {
        zoneAwarenessEnabled: true,
        zoneAwarenessConfig: { availabilityZoneCount: 3 },
        instanceCount: 6,
        dedicatedMasterEnabled: true,
        dedicatedMasterCount: 3,
      },
      encryptAtRest: { enabled: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: {
        enforceHttps: true,
        tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07",
      },
      advancedSecurityOptions: { enabled: true },
      vpcOptions: { subnetIds: ["subnet-1", "subnet-2", "subnet-3"] },
    };
    expect(await messages(sound)).toEqual([]);
    const cluster = { ...sound.clusterConfig, instanceCount: 4, dedicatedMasterCount: 5 };
    expect(
      await messages({ ...sound, clusterConfig: cluster, encryptAtRest: { enabled: true } }),
    ).toEqual([
      "vega-opensearch-zone-aware: instanceCount 4 is not a multiple of 3 (at least 3)",
      "vega-opensearch-dedicated-masters: expected 3 dedicated masters",
      "vega-opensearch-encrypted: encryptAtRest must be enabled with a kmsKeyId",
    ]);
  });
});

describe("vega-opensearch-not-public on access policies", () => {
  const policyOf = (accessPolicies: unknown) =>
    recordedResource("aws:opensearch/domainPolicy:DomainPolicy", "access", { accessPolicies });
  const messages = async (accessPolicies: unknown) =>
    (await runPolicies([policyOf(accessPolicies)], {}, openSearchPolicies)).violations.map(
      (v) => v.message,
    );
  const allow = (Sid: string | undefined, Principal: unknown, Action: unknown) => ({
    ...(Sid === undefined ? {} : { Sid }),
    Effect: "Allow",
    ...(Principal === undefined ? {} : { Principal }),
    Action,
    Resource: "arn:aws:es:us-east-1:1:domain/vega/*",
  });

  it("reports any principal everyone can be, unless it only lets a follower read for replication", async () => {
    const doc = {
      Statement: [
        allow("star", "*", "es:ESHttp*"),
        allow("aws-star", { AWS: "*" }, ["es:ESHttpGet", "es:ESHttpPut"]),
        allow(undefined, { AWS: ["arn:aws:iam::1:root", "*"] }, "es:*"),
        allow("ccr", "*", "es:ESCrossClusterGet"),
        allow("account", { AWS: "arn:aws:iam::1:root" }, "es:*"),
        allow("no-principal", undefined, "es:*"),
        { Sid: "deny", Effect: "Deny", Principal: "*", Action: "es:*" },
      ],
    };
    expect(await messages(JSON.stringify(doc))).toEqual([
      "statement star allows es:ESHttp* to everyone",
      "statement aws-star allows es:ESHttpGet, es:ESHttpPut to everyone",
      "statement (no Sid) allows es:* to everyone",
    ]);
  });

  it("reads a single statement too, and leaves a policy not known yet (preview) alone", async () => {
    expect(await messages(JSON.stringify({ Statement: allow("one", "*", "es:*") }))).toEqual([
      "statement one allows es:* to everyone",
    ]);
    expect(await messages(undefined)).toEqual([]);
    expect(await messages(JSON.stringify({}))).toEqual([]);
  });
});

describe("vega-opensearch-ccr-owned-by-dr on records", () => {
  const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
  const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";
  const messages = async (resources: RecordedResource[]) =>
    (await runPolicies(resources, {}, openSearchPolicies)).violations
      .filter((v) => v.policy === "vega-opensearch-ccr-owned-by-dr")
      .map((v) => v.message);
  const follower = recordedResource(DOMAIN, "follower", { domainName: "vega-dr" });
  const connection = (name: string, local?: string, remote?: string) =>
    recordedResource(CONNECTION, name, {
      ...(local === undefined ? {} : { localDomainInfo: { domainName: local } }),
      ...(remote === undefined ? {} : { remoteDomainInfo: { domainName: remote } }),
    });
  const good = connection("to-primary", "vega-dr", "vega-primary");
  const accepter = (name: string, dependencies: string[]) =>
    recordedResource(ACCEPTER, name, {}, { dependencies });
  const autoFollow = (name: string, dependencies: string[], kind = "autoFollowRule") =>
    recordedResource(OPENSEARCH_REST_TYPE, name, { kind }, { dependencies });

  it("passes the follower's own connection, its acceptance, and rules after it", async () => {
    const accept = accepter("accept", [good.urn]);
    expect(
      await messages([
        follower,
        good,
        accept,
        autoFollow("rule", [accept.urn]),
        autoFollow("policy", [], "smPolicy"),
      ]),
    ).toEqual([]);
  });

  it("names a connection from elsewhere or to itself, an acceptance or a rule with nothing before it", async () => {
    const resources = [
      // A connection's fields as the engine may hand them: missing blocks read as no domain.
      recordedResource("aws:s3/bucket:Bucket", "not-a-domain", { domainName: "vega-primary" }),
      follower,
      connection("from-leader", "vega-primary", "vega-dr"),
      connection("loop", "vega-dr", "vega-dr"),
      connection("bare"),
      accepter("orphan", [follower.urn]),
      autoFollow("early", [good.urn]),
    ];
    expect(await messages(resources)).toEqual([
      "connection from-leader does not start from this stack's domain (the follower)",
      "connection from-leader points at this stack's own domain",
      "connection loop points at this stack's own domain",
      "connection bare does not start from this stack's domain (the follower)",
      "accepter orphan accepts a connection this stack does not declare",
      "auto-follow rule early does not wait for an accepted connection of this stack",
    ]);
  });
});

describe("vega-opensearch-snapshot-schedules on records", () => {
  const messages = async (resources: RecordedResource[]) =>
    (await runPolicies(resources, {}, openSearchPolicies)).violations
      .filter((v) => v.policy === "vega-opensearch-snapshot-schedules")
      .map((v) => v.message);
  const rest = (name: string, inputs: Record<string, unknown>) =>
    recordedResource(OPENSEARCH_REST_TYPE, name, inputs);
  const repository = (name: string) =>
    rest(`repo-${name}`, { kind: "snapshotRepository", spec: { name } });
  const policy = (name: string, repo: string, cron: string, maxAge?: string) =>
    rest(name, {
      kind: "smPolicy",
      spec: {
        body: {
          snapshot_config: { repository: repo },
          creation: { schedule: { cron: { expression: cron } } },
          ...(maxAge === undefined ? {} : { deletion: { condition: { max_age: maxAge } } }),
        },
      },
    });
  const domain = recordedResource(DOMAIN, "search", {});
  const noDaily =
    "no snapshot management policy takes daily snapshots (every 24 h or more often) kept at least 14 days (seed 16.2)";
  const noHourly =
    "no snapshot management policy takes hourly (delta) snapshots (every 1 h or more often) kept at least 3 days (seed 16.2)";

  it("passes daily and hourly policies into registered repositories, a policy without deletion kept for ever", async () => {
    expect(
      await messages([
        domain,
        repository("vega-daily"),
        repository("vega-hourly"),
        policy("daily", "vega-daily", "0 2 * * *"),
        policy("hourly", "vega-hourly", "15 * * * *", "3d"),
      ]),
    ).toEqual([]);
  });

  it("names a policy into an unregistered repository, and each seed row no policy meets", async () => {
    expect(
      await messages([
        domain,
        repository("vega-daily"),
        // Not a repository: a REST resource of another kind that names one, and a policy.
        rest("lookalike", { kind: "indexTemplate", spec: { name: "vega-hourly" } }),
        recordedResource("aws:s3/bucket:Bucket", "bucket", {
          kind: "snapshotRepository",
          spec: { name: "vega-hourly" },
        }),
        policy("daily", "vega-daily", "0 2 * * *", "13d"),
        policy("hourly", "vega-hourly", "15 */2 * * *", "3d"),
        rest("bare", { kind: "smPolicy" }),
      ]),
    ).toEqual([
      "hourly: snapshots into repository vega-hourly, which this stack does not register",
      "bare: snapshots into repository undefined, which this stack does not register",
      noDaily,
      noHourly,
    ]);
  });

  it("asks nothing of a stack without a domain", async () => {
    expect(await messages([repository("vega-daily"), rest("bare", { kind: "smPolicy" })])).toEqual(
      [],
    );
  });
});
