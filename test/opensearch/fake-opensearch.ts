/**
 * A local stand-in for an OpenSearch Service domain's REST API, on 127.0.0.1 and a free port:
 * it records every request, checks its SigV4 signature by re-signing it with @smithy/signature-v4
 * (the same library, the same static test credentials), and answers as the replication plugin,
 * snapshot and snapshot management (SM) APIs document, errors included.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export const TEST_CREDENTIALS = {
  accessKeyId: "AKIDOPENSEARCHTEST",
  secretAccessKey: "opensearch-test-secret-access-key",
};

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
  headers: Record<string, string>;
  /** Whether re-signing the request gave the same Authorization header. */
  signatureValid: boolean;
  /** Region and service of the credential scope. */
  scope: { region: string; service: string } | undefined;
  /** When it arrived (Date.now()). */
  at: number;
}

interface Reply {
  status: number;
  body: unknown;
  /** Sent as is instead of `body` as JSON (a proxy's error page). */
  raw?: string;
  /** Answer only after this many ms (a domain that hangs). */
  delayMs?: number;
}

/** An OpenSearch error body as the REST layer returns it. */
export const errorBody = (status: number, type: string, reason: string) => ({
  error: { root_cause: [{ type, reason }], type, reason },
  status,
});

export class FakeOpenSearch {
  readonly requests: RecordedRequest[] = [];
  /** Auto-follow rules by name. */
  readonly rules = new Map<string, { leaderAlias: string; pattern: string }>();
  /** Indices replicating into this (follower) domain. */
  readonly followerIndices = new Set<string>();
  readonly repositories = new Map<string, { type: string; settings: Record<string, unknown> }>();
  readonly smPolicies = new Map<string, { body: unknown; seqNo: number; primaryTerm: number }>();
  /** Replies forced for the next requests, in order (then normal behaviour resumes). */
  readonly forced: Reply[] = [];
  private server?: Server;
  private seqNo = 0;

  constructor(private readonly region: string) {}

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void this.handle(req, Buffer.concat(chunks).toString("utf8")).then(async (reply) => {
          if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
          if (res.destroyed) return;
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(reply.raw ?? JSON.stringify(reply.body));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }

  /** Requests other than reads. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  private async handle(req: IncomingMessage, raw: string): Promise<Reply> {
    const url = new URL(req.url!, "http://placeholder");
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v!]),
    );
    const body = raw ? JSON.parse(raw) : undefined;
    const auth = await verifySignature(req.method!, url, headers, raw);
    this.requests.push({
      at: Date.now(),
      method: req.method!,
      path: url.pathname + url.search,
      body,
      headers,
      signatureValid: auth.valid,
      scope: auth.scope,
    });
    if (!auth.valid || auth.scope?.region !== this.region || auth.scope.service !== "es")
      return {
        status: 403,
        body: { message: "The request signature we calculated does not match" },
      };
    // OpenSearch reads JSON bodies only: anything else is 406 (RestController).
    if (raw && headers["content-type"] !== "application/json")
      return {
        status: 406,
        body: {
          error: `Content-Type header [${headers["content-type"] ?? ""}] is not supported`,
          status: 406,
        },
      };
    const forced = this.forced.shift();
    if (forced) return forced;
    return this.route(req.method!, url, body);
  }

  private route(method: string, url: URL, body: any): Reply {
    const p = url.pathname;
    const ok = { status: 200, body: { acknowledged: true } };
    // Replication plugin: auto-follow rules.
    if (p === "/_plugins/_replication/_autofollow" && method === "POST") {
      if (!body?.leader_alias || !body?.name || !body?.pattern)
        return {
          status: 400,
          body: errorBody(
            400,
            "illegal_argument_exception",
            "leader_alias, name and pattern are required",
          ),
        };
      if (this.rules.has(body.name))
        return {
          status: 400,
          body: errorBody(
            400,
            "resource_already_exists_exception",
            `Autofollow rule ${body.name} already exists`,
          ),
        };
      this.rules.set(body.name, { leaderAlias: body.leader_alias, pattern: body.pattern });
      return ok;
    }
    if (p === "/_plugins/_replication/_autofollow" && method === "DELETE") {
      if (!this.rules.delete(body?.name))
        return {
          status: 404,
          body: errorBody(
            404,
            "resource_not_found_exception",
            `Autofollow rule ${body?.name} does not exist`,
          ),
        };
      return ok;
    }
    if (p === "/_plugins/_replication/autofollow_stats" && method === "GET")
      return {
        status: 200,
        body: {
          num_success_start_replication: 0,
          num_failed_start_replication: 0,
          num_failed_leader_calls: 0,
          failed_indices: [],
          autofollow_stats: [...this.rules].map(([name, r]) => ({
            name,
            pattern: r.pattern,
            num_success_start_replication: 0,
            num_failed_start_replication: 0,
            num_failed_leader_calls: 0,
            failed_indices: [],
          })),
        },
      };
    if (p === "/_plugins/_replication/follower_stats" && method === "GET")
      return {
        status: 200,
        body: {
          num_syncing_indices: this.followerIndices.size,
          num_bootstrapping_indices: 0,
          num_paused_indices: 0,
          num_failed_indices: 0,
          num_shard_tasks: this.followerIndices.size,
          num_index_tasks: this.followerIndices.size,
          index_stats: Object.fromEntries(
            [...this.followerIndices].map((i) => [i, { operations_written: 1 }]),
          ),
        },
      };
    const stop = /^\/_plugins\/_replication\/([^/]+)\/_stop$/.exec(p);
    if (stop && method === "POST") {
      const index = decodeURIComponent(stop[1]!);
      if (!this.followerIndices.delete(index))
        return {
          status: 400,
          body: errorBody(
            400,
            "illegal_argument_exception",
            `No replication in progress for index:${index}`,
          ),
        };
      return ok;
    }
    // Snapshot repositories.
    const repo = /^\/_snapshot\/([^/]+)$/.exec(p);
    if (repo) {
      const name = decodeURIComponent(repo[1]!);
      if (method === "PUT") {
        this.repositories.set(name, body);
        return ok;
      }
      const missing = {
        status: 404,
        body: errorBody(404, "repository_missing_exception", `[${name}] missing`),
      };
      if (method === "GET")
        return this.repositories.has(name)
          ? { status: 200, body: { [name]: this.repositories.get(name) } }
          : missing;
      if (method === "DELETE") return this.repositories.delete(name) ? ok : missing;
    }
    // Snapshot management policies.
    const sm = /^\/_plugins\/_sm\/policies\/([^/]+)$/.exec(p);
    if (sm) {
      const name = decodeURIComponent(sm[1]!);
      const current = this.smPolicies.get(name);
      const missing = {
        status: 404,
        body: errorBody(404, "status_exception", "Snapshot management policy not found"),
      };
      if (method === "GET")
        return current
          ? {
              status: 200,
              body: {
                _id: `${name}-sm-policy`,
                _version: current.seqNo + 1,
                _seq_no: current.seqNo,
                _primary_term: current.primaryTerm,
                sm_policy: { name, ...(current.body as object) },
              },
            }
          : missing;
      if (method === "POST") {
        if (current)
          return {
            status: 409,
            body: errorBody(
              409,
              "version_conflict_engine_exception",
              `[${name}-sm-policy]: version conflict, document already exists`,
            ),
          };
        this.smPolicies.set(name, { body, seqNo: this.seqNo++, primaryTerm: 1 });
        return { status: 201, body: { _id: `${name}-sm-policy`, sm_policy: { name, ...body } } };
      }
      if (method === "PUT") {
        const seq = url.searchParams.get("if_seq_no");
        const term = url.searchParams.get("if_primary_term");
        if (!current) return missing;
        if (Number(seq) !== current.seqNo || Number(term) !== current.primaryTerm)
          return {
            status: 409,
            body: errorBody(
              409,
              "version_conflict_engine_exception",
              `[${name}-sm-policy]: version conflict`,
            ),
          };
        this.smPolicies.set(name, { body, seqNo: this.seqNo++, primaryTerm: 1 });
        return { status: 200, body: { _id: `${name}-sm-policy`, sm_policy: { name, ...body } } };
      }
      if (method === "DELETE") return this.smPolicies.delete(name) ? ok : missing;
    }
    return {
      status: 400,
      body: errorBody(400, "invalid_request", `no handler for ${method} ${p}`),
    };
  }
}

/**
 * Re-signs the request as received (only the headers it says it signed, at the date it says it
 * was signed) with the test credentials, and compares the Authorization header.
 */
async function verifySignature(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ valid: boolean; scope?: { region: string; service: string } }> {
  const auth = headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return { valid: false };
  const [, , , region, service, signedHeaders] = m as unknown as string[];
  // SigV4: the host header is always signed (AWS "Create a signed AWS API request", step 1).
  if (!signedHeaders!.split(";").includes("host"))
    return { valid: false, scope: { region: region!, service: service! } };
  const amzDate = headers["x-amz-date"] ?? "";
  const date = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  const signer = new SignatureV4({
    service: service!,
    region: region!,
    credentials: TEST_CREDENTIALS,
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const resigned = await signer.sign(
    new HttpRequest({
      method,
      protocol: "http:",
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers: Object.fromEntries(signedHeaders!.split(";").map((h) => [h, headers[h] ?? ""])),
      body: body || undefined,
    }),
    { signingDate: date },
  );
  return {
    valid: resigned.headers.authorization === auth,
    scope: { region: region!, service: service! },
  };
}
