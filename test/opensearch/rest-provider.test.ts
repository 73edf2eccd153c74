/**
 * The REST dynamic provider against a local stand-in of the domain's API (fake-opensearch.ts):
 * documented calls, valid SigV4 signatures, idempotency, retries, errors with status and body.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSearchRestProvider, type RestInputs } from "../../components/opensearch/rest-provider";
import { FakeOpenSearch, errorBody, TEST_CREDENTIALS } from "./fake-opensearch";

const REGION = "us-west-2";
const server = new FakeOpenSearch(REGION);
const saved = { ...process.env };
const p = openSearchRestProvider as Required<typeof openSearchRestProvider>;

beforeAll(async () => {
  // The provider's credential chain (AWS SDK default provider) reads these first.
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  await server.start();
});
afterAll(async () => {
  process.env = saved;
  await server.stop();
});
beforeEach(() => {
  server.requests.length = 0;
  server.forced.length = 0;
});
afterEach(() => {
  // Every request of every test was signed for this region and service, and verified.
  for (const r of server.requests) {
    expect(r.signatureValid, `${r.method} ${r.path}`).toBe(true);
    expect(r.scope).toEqual({ region: REGION, service: "es" });
  }
});

const rule = (pattern = "vega-*"): RestInputs => ({
  kind: "autoFollowRule",
  endpoint: server.url,
  region: REGION,
  baseDelayMs: 1,
  spec: {
    leaderAlias: "vega-primary",
    name: "vega-vega-all",
    pattern,
    leaderRole: "cross_cluster_replication_leader_full_access",
    followerRole: "cross_cluster_replication_follower_full_access",
  },
});

const calls = () => server.requests.map((r) => `${r.method} ${r.path}`);

/** The hourly snapshot repository, for the tests of transport and errors. */
const hourlyRepository = (extra: Partial<RestInputs> = {}): RestInputs => ({
  kind: "snapshotRepository",
  endpoint: server.url,
  region: REGION,
  baseDelayMs: 1,
  spec: {
    name: "vega-hourly",
    bucket: "b",
    basePath: "opensearch/delta",
    region: REGION,
    roleArn: "arn:aws:iam::123456789012:role/snapshots",
  },
  ...extra,
});

describe("auto-follow rule", () => {
  it("create sends the documented POST _plugins/_replication/_autofollow body", async () => {
    server.rules.clear();
    const out = await p.create(rule());
    expect(out.id).toBe("autoFollowRule/vega-vega-all");
    expect(calls()).toEqual([
      "GET /_plugins/_replication/autofollow_stats",
      "POST /_plugins/_replication/_autofollow",
    ]);
    expect(server.requests[1]!.body).toEqual({
      leader_alias: "vega-primary",
      name: "vega-vega-all",
      pattern: "vega-*",
      use_roles: {
        leader_cluster_role: "cross_cluster_replication_leader_full_access",
        follower_cluster_role: "cross_cluster_replication_follower_full_access",
      },
    });
    expect(server.rules.get("vega-vega-all")).toEqual({
      leaderAlias: "vega-primary",
      pattern: "vega-*",
    });
  });

  it("creating an existing rule is not an error and sends no write", async () => {
    await p.create(rule());
    expect(server.writes()).toEqual([]);
  });

  it("a changed pattern updates the rule (delete, then create with the new pattern)", async () => {
    const d = await p.diff("autoFollowRule/vega-vega-all", rule(), rule("vega-logs-*"));
    expect(d).toMatchObject({ changes: true, replaces: [] });
    await p.update("autoFollowRule/vega-vega-all", rule(), rule("vega-logs-*"));
    expect(server.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      "DELETE /_plugins/_replication/_autofollow",
      "POST /_plugins/_replication/_autofollow",
    ]);
    expect(server.writes()[0]!.body).toEqual({
      leader_alias: "vega-primary",
      name: "vega-vega-all",
    });
    expect(server.rules.get("vega-vega-all")?.pattern).toBe("vega-logs-*");
  });

  it("read reports the pattern the domain has, and a vanished rule as gone", async () => {
    const read = await p.read("autoFollowRule/vega-vega-all", rule());
    expect((read.props as RestInputs).spec).toMatchObject({ pattern: "vega-logs-*" });
    server.rules.clear();
    expect((await p.read("autoFollowRule/vega-vega-all", rule())).id).toBe("");
  });

  it("delete sends DELETE with leader_alias and name; a rule already gone is fine", async () => {
    server.rules.set("vega-vega-all", { leaderAlias: "vega-primary", pattern: "vega-*" });
    await p.delete("autoFollowRule/vega-vega-all", rule());
    expect(server.rules.size).toBe(0);
    await p.delete("autoFollowRule/vega-vega-all", rule());
    expect(calls()).toEqual([
      "DELETE /_plugins/_replication/_autofollow",
      "DELETE /_plugins/_replication/_autofollow",
    ]);
  });

  it("diff: identical is no change; another name, endpoint or region replaces", async () => {
    expect((await p.diff("x", rule(), rule())).changes).toBe(false);
    const renamed = { ...rule(), spec: { ...rule().spec, name: "other" } } as RestInputs;
    expect((await p.diff("x", rule(), renamed)).replaces).toEqual(["spec.name"]);
    expect((await p.diff("x", rule(), { ...rule(), region: "eu-west-1" })).replaces).toEqual([
      "region",
    ]);
    // Retry tuning is not the object: changing it is no change.
    expect((await p.diff("x", rule(), { ...rule(), baseDelayMs: 500 })).changes).toBe(false);
  });
});

describe("promotion: replication stopped", () => {
  const stopped: RestInputs = {
    kind: "replicationStopped",
    endpoint: "",
    region: REGION,
    baseDelayMs: 1,
    spec: { leaderAlias: "vega-primary", ruleNames: ["vega-vega-all"] },
  };

  it("deletes the rules, then stops every follower index so it becomes writable", async () => {
    server.rules.set("vega-vega-all", { leaderAlias: "vega-primary", pattern: "vega-*" });
    server.followerIndices.add("vega-assets");
    server.followerIndices.add("vega-events-2026.12");
    const out = await p.create({ ...stopped, endpoint: server.url });
    expect(calls()).toEqual([
      "DELETE /_plugins/_replication/_autofollow",
      "GET /_plugins/_replication/follower_stats",
      "POST /_plugins/_replication/vega-assets/_stop",
      "POST /_plugins/_replication/vega-events-2026.12/_stop",
    ]);
    expect(server.requests.at(-1)!.body).toEqual({});
    expect(out.outs.stoppedIndices).toEqual(["vega-assets", "vega-events-2026.12"]);
    expect(server.followerIndices.size).toBe(0);
  });

  it("running it again stops nothing and fails on nothing", async () => {
    await p.create({ ...stopped, endpoint: server.url });
    expect(server.writes().map((r) => r.method)).toEqual(["DELETE"]);
  });
});

describe("snapshot repository", () => {
  const repo = (): RestInputs => ({
    kind: "snapshotRepository",
    endpoint: server.url,
    region: REGION,
    baseDelayMs: 1,
    spec: {
      name: "vega-daily",
      bucket: "vega-prod-usw2-backup-bucket",
      basePath: "opensearch/snapshots",
      region: REGION,
      roleArn: "arn:aws:iam::123456789012:role/snapshots",
    },
  });

  it("create PUTs _snapshot/<repo> with type s3, bucket, base_path, region and role_arn", async () => {
    await p.create(repo());
    expect(calls()).toEqual(["PUT /_snapshot/vega-daily"]);
    expect(server.requests[0]!.body).toEqual({
      type: "s3",
      settings: {
        bucket: "vega-prod-usw2-backup-bucket",
        base_path: "opensearch/snapshots",
        region: REGION,
        role_arn: "arn:aws:iam::123456789012:role/snapshots",
        server_side_encryption: true,
      },
    });
  });

  it("read maps the registered settings back; delete unregisters, twice without error", async () => {
    const read = await p.read("snapshotRepository/vega-daily", repo());
    expect((read.props as RestInputs).spec).toEqual(repo().spec);
    await p.delete("snapshotRepository/vega-daily", repo());
    await p.delete("snapshotRepository/vega-daily", repo());
    expect(server.repositories.size).toBe(0);
    expect((await p.read("snapshotRepository/vega-daily", repo())).id).toBe("");
  });
});

describe("snapshot management policy", () => {
  const body = (maxAge: string) => ({
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } } },
    deletion: { condition: { max_age: maxAge, min_count: 1 } },
    snapshot_config: { repository: "vega-daily" },
  });
  const policy = (maxAge = "14d"): RestInputs => ({
    kind: "smPolicy",
    endpoint: server.url,
    region: REGION,
    baseDelayMs: 1,
    spec: { name: "vega-daily", body: body(maxAge) },
  });

  it("create: GET finds none (404), then POST _plugins/_sm/policies/<name>", async () => {
    await p.create(policy());
    expect(calls()).toEqual([
      "GET /_plugins/_sm/policies/vega-daily",
      "POST /_plugins/_sm/policies/vega-daily",
    ]);
    expect(server.requests[1]!.body).toEqual(body("14d"));
  });

  it("create over an existing policy updates it with if_seq_no and if_primary_term", async () => {
    const { seqNo, primaryTerm } = server.smPolicies.get("vega-daily")!;
    await p.create(policy("7d"));
    expect(calls()).toEqual([
      "GET /_plugins/_sm/policies/vega-daily",
      `PUT /_plugins/_sm/policies/vega-daily?if_seq_no=${seqNo}&if_primary_term=${primaryTerm}`,
    ]);
    expect(server.smPolicies.get("vega-daily")!.body).toEqual(body("7d"));
  });

  it("delete removes it; a missing policy is fine", async () => {
    await p.delete("smPolicy/vega-daily", policy());
    await p.delete("smPolicy/vega-daily", policy());
    expect(server.smPolicies.size).toBe(0);
  });
});

describe("retries and errors", () => {
  const repo = (attempts?: number) => hourlyRepository({ attempts });

  it("a 503 then a 200 is retried and succeeds", async () => {
    server.forced.push({ status: 503, body: errorBody(503, "unavailable", "try later") });
    await p.create(repo());
    expect(calls()).toEqual(["PUT /_snapshot/vega-hourly", "PUT /_snapshot/vega-hourly"]);
  });

  it("a 429 is retried too", async () => {
    server.forced.push({ status: 429, body: errorBody(429, "too_many_requests", "slow down") });
    await p.create(repo());
    expect(server.requests).toHaveLength(2);
  });

  it("a 400 is not retried and surfaces method, path, status and body", async () => {
    const bad = errorBody(
      400,
      "repository_verification_exception",
      "[vega-hourly] path is not accessible",
    );
    server.forced.push({ status: 400, body: bad });
    const err = await p.create(repo()).catch((e: Error) => e);
    expect(server.requests).toHaveLength(1);
    expect((err as Error).message).toContain("PUT /_snapshot/vega-hourly failed: HTTP 400");
    expect((err as Error).message).toContain(JSON.stringify(bad));
  });

  it("the stand-in does check signatures: a wrong secret is refused (403, not retried)", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "not-the-test-secret";
    try {
      const err = await p.create(repo()).catch((e: Error) => e);
      expect((err as Error).message).toContain("HTTP 403");
      expect(server.requests.map((r) => r.signatureValid)).toEqual([false]);
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
      server.requests.length = 0;
    }
  });

  it("a persistent 5xx gives up after the attempts and reports the last status and body", async () => {
    for (let i = 0; i < 3; i++)
      server.forced.push({ status: 502, body: errorBody(502, "bad_gateway", `down ${i}`) });
    const err = await p.create(repo(3)).catch((e: Error) => e);
    expect(server.requests).toHaveLength(3);
    expect((err as Error).message).toMatch(/HTTP 502: .*down 2.*\(after 3 attempts\)/);
  });
});

describe("the edges: transport, unreadable replies, what needs no call", () => {
  const repo = hourlyRepository;
  const stopped: RestInputs = {
    kind: "replicationStopped",
    endpoint: "",
    region: REGION,
    baseDelayMs: 1,
    spec: { leaderAlias: "vega-primary", ruleNames: ["vega-vega-all", "vega-vega-logs"] },
  };

  it("an endpoint without a scheme (as AWS returns it) is spoken to over HTTPS", async () => {
    // The stand-in speaks plain HTTP: a TLS handshake to it fails before any request arrives.
    const host = server.url.replace(/^http:\/\//, "");
    const err = await p.create(repo({ endpoint: host, attempts: 1 })).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /^PUT \/_snapshot\/vega-hourly: .+ \(after 1 attempts\)$/s,
    );
    expect((err as Error).message).toMatch(/EPROTO|SSL|TLS/);
    expect(server.requests).toEqual([]);
  });

  it("a request with no answer within timeoutMs is abandoned as timed out, and retried", async () => {
    server.forced.push({ status: 200, body: {}, delayMs: 400 });
    await p.create(repo({ timeoutMs: 100, attempts: 2 }));
    expect(calls()).toEqual(["PUT /_snapshot/vega-hourly", "PUT /_snapshot/vega-hourly"]);
    server.requests.length = 0;
    server.forced.push({ status: 200, body: {}, delayMs: 400 });
    const err = await p.create(repo({ timeoutMs: 100, attempts: 1 })).catch((e: Error) => e);
    expect((err as Error).message).toBe("PUT /_snapshot/vega-hourly: timed out (after 1 attempts)");
  });

  it("a 500 is the domain's fault: retried like any 5xx", async () => {
    server.forced.push({ status: 500, body: errorBody(500, "exception", "internal") });
    await p.create(repo());
    expect(calls()).toEqual(["PUT /_snapshot/vega-hourly", "PUT /_snapshot/vega-hourly"]);
  });

  it("waits baseDelayMs before the first retry and twice as long before the next", async () => {
    for (let i = 0; i < 2; i++)
      server.forced.push({ status: 503, body: errorBody(503, "x", "busy") });
    await p.create(repo({ baseDelayMs: 40, attempts: 3 }));
    const [first, second, third] = server.requests.map((r) => r.at);
    // Lower bounds only: a timer never fires early, a loaded machine may fire it late.
    expect(second! - first!).toBeGreaterThanOrEqual(35);
    expect(third! - second!).toBeGreaterThanOrEqual(75);
  });

  it("a reply that is not JSON (a proxy's error page) is reported as its text", async () => {
    server.forced.push({ status: 502, body: undefined, raw: "<html>502 Bad Gateway</html>" });
    const err = await p.create(repo({ attempts: 1 })).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      "PUT /_snapshot/vega-hourly failed: HTTP 502: <html>502 Bad Gateway</html> (after 1 attempts)",
    );
  });

  it("deleting a rule: a 'does not exist' refusal is success, any other refusal fails", async () => {
    const gone = errorBody(400, "illegal_argument_exception", "No auto-follow rule vega-vega-all");
    server.forced.push({ status: 400, body: gone });
    await p.delete("autoFollowRule/vega-vega-all", rule());
    const denied = errorBody(403, "security_exception", "no permissions for [cluster:admin]");
    server.forced.push({ status: 403, body: denied });
    const err = await p.delete("autoFollowRule/vega-vega-all", rule()).catch((e: Error) => e);
    expect((err as Error).message).toContain(
      "DELETE /_plugins/_replication/_autofollow failed: HTTP 403",
    );
  });

  it("stopped replication is read as declared and deleted without a call (it cannot be undone)", async () => {
    const inputs = { ...stopped, endpoint: server.url };
    expect(await p.read("replicationStopped/vega-primary", inputs)).toEqual({
      id: "replicationStopped/vega-primary",
      props: inputs,
    });
    await p.delete("replicationStopped/vega-primary", inputs);
    expect(server.requests).toEqual([]);
  });

  it("an SM policy is read while it exists, and gone once deleted", async () => {
    const inputs: RestInputs = {
      kind: "smPolicy",
      endpoint: server.url,
      region: REGION,
      baseDelayMs: 1,
      spec: { name: "vega-hourly", body: { snapshot_config: { repository: "vega-hourly" } } },
    };
    await p.create(inputs);
    expect(await p.read("smPolicy/vega-hourly", inputs)).toEqual({
      id: "smPolicy/vega-hourly",
      props: inputs,
    });
    await p.delete("smPolicy/vega-hourly", inputs);
    expect(await p.read("smPolicy/vega-hourly", inputs)).toEqual({ id: "", props: {} });
    expect(calls().at(-1)).toBe("GET /_plugins/_sm/policies/vega-hourly");
  });

  it("diff compares lists in a spec element by element", async () => {
    const other = { ...stopped, spec: { ...stopped.spec, ruleNames: ["vega-vega-all", "vega-x"] } };
    expect(await p.diff("x", stopped, other)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect((await p.diff("x", stopped, { ...stopped })).changes).toBe(false);
  });
});
