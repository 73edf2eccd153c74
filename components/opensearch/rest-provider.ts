/**
 * A Pulumi dynamic provider that drives an OpenSearch Service domain's REST API with SigV4-signed
 * requests (service "es"): the things no released Pulumi/Terraform AWS resource does.
 *
 *   autoFollowRule      POST/DELETE _plugins/_replication/_autofollow, read from
 *                       GET _plugins/_replication/autofollow_stats (replication plugin API:
 *                       docs.opensearch.org "Cross-cluster replication API" / "Auto-follow")
 *   replicationStopped  promotion: delete the auto-follow rules, then
 *                       POST _plugins/_replication/<index>/_stop for every index listed by
 *                       GET _plugins/_replication/follower_stats (follower indices become writable)
 *   snapshotRepository  PUT/GET/DELETE _snapshot/<repo>, type s3 with bucket, base_path, region,
 *                       role_arn (AWS developer guide "Creating index snapshots")
 *   smPolicy            POST _plugins/_sm/policies/<name> to create; PUT with if_seq_no and
 *                       if_primary_term (from GET) to update; DELETE (docs.opensearch.org
 *                       "Snapshot Management API")
 *
 * Pulumi serialises a dynamic provider with its closure and runs that text in another process.
 * So nothing here is imported at module level: every library is `require`d inside the functions
 * that use it, no client or credential is captured, and the helpers below are plain functions
 * the serialiser copies along. test/opensearch checks the serialised text and runs it.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the point of this file: libraries are
   required inside the functions Pulumi serialises (see above) */
import type { IncomingMessage } from "node:http";
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceProps } from "../core/plan";

export type RestKind = "autoFollowRule" | "replicationStopped" | "snapshotRepository" | "smPolicy";

export interface AutoFollowSpec {
  leaderAlias: string;
  name: string;
  pattern: string;
  leaderRole: string;
  followerRole: string;
}
export interface ReplicationStoppedSpec {
  leaderAlias: string;
  /** Auto-follow rules deleted first, so no new follower index appears after the stop. */
  ruleNames: string[];
}
export interface SnapshotRepositorySpec {
  name: string;
  bucket: string;
  basePath: string;
  region: string;
  roleArn: string;
}
export interface SmPolicySpec {
  name: string;
  /** The policy document as the SM API takes it (creation, deletion, snapshot_config). */
  body: Record<string, unknown>;
}
export type RestSpec =
  AutoFollowSpec | ReplicationStoppedSpec | SnapshotRepositorySpec | SmPolicySpec;

/** What a dynamic resource of this provider holds. */
export interface RestInputs {
  kind: RestKind;
  /** Domain endpoint host (https), or a full http(s):// base URL (tests). */
  endpoint: string;
  /** The domain's region: SigV4 signs for it. */
  region: string;
  spec: RestSpec;
  /** Attempts on 429/5xx/network errors before giving up. Default 6. */
  attempts?: number;
  /** First backoff delay in ms, doubled each retry. Default 1000. */
  baseDelayMs?: number;
  /** How long one request may go without a byte before it is abandoned (and retried), in ms. Default 60 000. */
  timeoutMs?: number;
}

interface Response {
  status: number;
  body: string;
  /** The parsed JSON body (several APIs' shapes, read by path). */
  json: ResourceProps | undefined;
}

/** One signed call; throws with method, path, status and body on any non-2xx it does not allow. */
async function call(
  inputs: RestInputs,
  method: string,
  path: string,
  body?: unknown,
  // Stryker disable next-line ArrayDeclaration: a status is a number; a default of strings allows none either
  okStatuses: number[] = [],
): Promise<Response> {
  const { SignatureV4 } = require("@smithy/signature-v4");
  const { HttpRequest } = require("@smithy/protocol-http");
  const { Sha256 } = require("@aws-crypto/sha256-js");
  const { defaultProvider } = require("@aws-sdk/credential-provider-node");
  const { setTimeout: sleep } = require("node:timers/promises");

  const base = new URL(
    // Stryker disable next-line Regex: an endpoint is a host or a URL; no host contains "://"
    /^https?:\/\//.test(inputs.endpoint) ? inputs.endpoint : `https://${inputs.endpoint}`,
  );
  const [pathname, queryString] = path.split("?") as [string, string | undefined];
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(queryString ?? "")) query[k] = v;
  // Stryker disable next-line ConditionalExpression: JSON.stringify(undefined) is undefined too; said for the reader
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const attempts = inputs.attempts ?? 6;
  const baseDelayMs = inputs.baseDelayMs ?? 1000;
  const signer = new SignatureV4({
    service: "es",
    region: inputs.region,
    credentials: defaultProvider(),
    sha256: Sha256,
  });

  // Stryker disable next-line StringLiteral: read only after an attempt has set it (attempts >= 1)
  let last = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const headers: Record<string, string> = { host: base.host };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const signed = await signer.sign(
      new HttpRequest({
        method,
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port ? Number(base.port) : undefined,
        path: pathname,
        query,
        headers,
        body: payload,
      }),
    );
    let res: Response | undefined;
    try {
      res = await send(base, method, path, signed.headers, payload, inputs.timeoutMs ?? 60_000);
    } catch (err) {
      last = `${method} ${path}: ${(err as Error).message}`;
    }
    if (res) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: node's http never hands over a 1xx as the response, and OpenSearch sends no 3xx
      if ((res.status >= 200 && res.status < 300) || okStatuses.includes(res.status)) return res;
      last = `${method} ${path} failed: HTTP ${res.status}: ${res.body}`;
      // 4xx is the request's fault (or a permission): retrying cannot help.
      if (res.status !== 429 && res.status < 500) throw new Error(last);
    }
    if (attempt < attempts) await sleep(baseDelayMs * 2 ** (attempt - 1));
  }
  throw new Error(`${last} (after ${attempts} attempts)`);
}

function send(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload: string | undefined,
  timeoutMs: number,
): Promise<Response> {
  const transport: typeof import("node:http") =
    base.protocol === "http:" ? require("node:http") : require("node:https");
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        method,
        hostname: base.hostname,
        port: base.port || undefined,
        path,
        headers,
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: ResourceProps | undefined;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON (a proxy's HTML error page): callers read `body` instead.
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The rules the follower has, by name -> pattern (autofollow_stats lists every rule). */
async function autoFollowRules(inputs: RestInputs): Promise<Map<string, string>> {
  const res = await call(inputs, "GET", "/_plugins/_replication/autofollow_stats");
  const rules = new Map<string, string>();
  for (const r of (res.json?.autofollow_stats ?? []) as { name: string; pattern: string }[])
    rules.set(r.name, r.pattern);
  return rules;
}

async function deleteAutoFollow(inputs: RestInputs, leaderAlias: string, name: string) {
  // A rule that is already gone is what we want.
  await call(
    inputs,
    "DELETE",
    "/_plugins/_replication/_autofollow",
    { leader_alias: leaderAlias, name },
    [404],
  ).catch((err: Error) => {
    if (!/does not exist|not found|no auto-follow|no autofollow/i.test(err.message)) throw err;
  });
}

/** Brings the domain to the spec; safe to run again (create and update alike). */
async function ensure(inputs: RestInputs): Promise<Record<string, unknown>> {
  switch (inputs.kind) {
    case "autoFollowRule": {
      const s = inputs.spec as AutoFollowSpec;
      const existing = (await autoFollowRules(inputs)).get(s.name);
      if (existing === s.pattern) return { pattern: s.pattern };
      // A rule cannot be changed in place: a changed pattern is a delete and a create.
      if (existing !== undefined) await deleteAutoFollow(inputs, s.leaderAlias, s.name);
      await call(inputs, "POST", "/_plugins/_replication/_autofollow", {
        leader_alias: s.leaderAlias,
        name: s.name,
        pattern: s.pattern,
        use_roles: { leader_cluster_role: s.leaderRole, follower_cluster_role: s.followerRole },
      });
      return { pattern: s.pattern };
    }
    case "replicationStopped": {
      const s = inputs.spec as ReplicationStoppedSpec;
      for (const name of s.ruleNames) await deleteAutoFollow(inputs, s.leaderAlias, name);
      const stats = await call(inputs, "GET", "/_plugins/_replication/follower_stats");
      const indices = Object.keys(stats.json?.index_stats ?? {}).sort();
      for (const index of indices)
        await call(inputs, "POST", `/_plugins/_replication/${encodeURIComponent(index)}/_stop`, {});
      return { stoppedIndices: indices };
    }
    case "snapshotRepository": {
      const s = inputs.spec as SnapshotRepositorySpec;
      // PUT registers or re-registers (same name: settings replaced), so it is its own update.
      await call(inputs, "PUT", `/_snapshot/${encodeURIComponent(s.name)}`, repositoryBody(s));
      return {};
    }
    case "smPolicy": {
      const s = inputs.spec as SmPolicySpec;
      const path = `/_plugins/_sm/policies/${encodeURIComponent(s.name)}`;
      const current = await call(inputs, "GET", path, undefined, [404]);
      if (current.status === 404) {
        await call(inputs, "POST", path, s.body);
      } else {
        // Updates must name the version they replace (optimistic concurrency).
        const seqNo = current.json?._seq_no;
        const primaryTerm = current.json?._primary_term;
        await call(
          inputs,
          "PUT",
          `${path}?if_seq_no=${seqNo}&if_primary_term=${primaryTerm}`,
          s.body,
        );
      }
      return {};
    }
  }
}

function repositoryBody(s: SnapshotRepositorySpec) {
  return {
    type: "s3",
    settings: {
      bucket: s.bucket,
      base_path: s.basePath,
      region: s.region,
      role_arn: s.roleArn,
      server_side_encryption: true,
    },
  };
}

async function remove(inputs: RestInputs): Promise<void> {
  switch (inputs.kind) {
    case "autoFollowRule": {
      const s = inputs.spec as AutoFollowSpec;
      await deleteAutoFollow(inputs, s.leaderAlias, s.name);
      return;
    }
    case "replicationStopped":
      // Stopped replication cannot be restarted by deleting this record; nothing to undo.
      return;
    case "snapshotRepository": {
      // Unregisters the repository; the snapshots stay in the bucket.
      const s = inputs.spec as SnapshotRepositorySpec;
      await call(inputs, "DELETE", `/_snapshot/${encodeURIComponent(s.name)}`, undefined, [404]);
      return;
    }
    case "smPolicy": {
      const s = inputs.spec as SmPolicySpec;
      await call(
        inputs,
        "DELETE",
        `/_plugins/_sm/policies/${encodeURIComponent(s.name)}`,
        undefined,
        [404],
      );
      return;
    }
  }
}

/** The spec as the domain has it now, or undefined when it is gone. */
async function current(inputs: RestInputs): Promise<RestSpec | undefined> {
  switch (inputs.kind) {
    case "autoFollowRule": {
      const s = inputs.spec as AutoFollowSpec;
      const pattern = (await autoFollowRules(inputs)).get(s.name);
      return pattern === undefined ? undefined : { ...s, pattern };
    }
    case "replicationStopped":
      return inputs.spec;
    case "snapshotRepository": {
      const s = inputs.spec as SnapshotRepositorySpec;
      const res = await call(
        inputs,
        "GET",
        `/_snapshot/${encodeURIComponent(s.name)}`,
        undefined,
        [404],
      );
      const settings = res.json?.[s.name]?.settings;
      if (res.status === 404 || !settings) return undefined;
      return {
        ...s,
        bucket: settings.bucket,
        basePath: settings.base_path,
        region: settings.region,
        roleArn: settings.role_arn,
      };
    }
    case "smPolicy": {
      const s = inputs.spec as SmPolicySpec;
      const res = await call(
        inputs,
        "GET",
        `/_plugins/_sm/policies/${encodeURIComponent(s.name)}`,
        undefined,
        [404],
      );
      return res.status === 404 ? undefined : s;
    }
  }
}

/** Inputs whose change needs a new resource (another domain, another thing). */
const REPLACE_KEYS = ["kind", "endpoint", "region"] as const;
/** Spec fields that name the object: a new name is a new object. */
const NAME_KEYS = ["name"] as const;

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** The provider Pulumi serialises: idempotent create/read/diff/update/delete over the REST API. */
export const openSearchRestProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: RestInputs) {
    const outs = await ensure(inputs);
    const spec = inputs.spec as { name?: string; leaderAlias?: string };
    return { id: `${inputs.kind}/${spec.name ?? spec.leaderAlias}`, outs: { ...inputs, ...outs } };
  },
  async read(id: string, props: RestInputs) {
    const spec = await current(props);
    return spec === undefined ? { id: "", props: {} } : { id, props: { ...props, spec } };
  },
  async diff(_id: string, olds: RestInputs, news: RestInputs) {
    const replaces: string[] = REPLACE_KEYS.filter((k) => olds[k] !== news[k]);
    const oldSpec = olds.spec as unknown as Record<string, unknown>;
    const newSpec = news.spec as unknown as Record<string, unknown>;
    for (const k of NAME_KEYS) if (oldSpec?.[k] !== newSpec?.[k]) replaces.push(`spec.${k}`);
    const changes = replaces.length > 0 || stable(olds.spec) !== stable(news.spec);
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: RestInputs, news: RestInputs) {
    return { outs: { ...news, ...(await ensure(news)) } };
  },
  async delete(_id: string, props: RestInputs) {
    await remove(props);
  },
};
