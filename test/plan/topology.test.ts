/** The topology picture of summary.md: sane Mermaid, and every cross-region link recorded shows. */
import { beforeAll, describe, expect, it } from "vitest";
import { formatSeconds, type ObjectiveRow } from "../../components/core/objectives";
import type { PlanFile } from "../../tools/plan/protocol";
import { synthesiseStacks } from "../../tools/plan/run";

interface Parsed {
  nodes: Map<string, string>;
  /** node id → the subgraph (region) it is declared in */
  regionOf: Map<string, string>;
  edges: { from: string; to: string; label: string }[];
}

/** Parses the subset of Mermaid the picture uses; throws on anything else or unbalanced blocks. */
function parseMermaid(source: string): Parsed {
  const lines = source.split("\n");
  expect(lines[0]).toBe("flowchart LR");
  const parsed: Parsed = { nodes: new Map(), regionOf: new Map(), edges: [] };
  const open: string[] = [];
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^\s*subgraph (\w+)\["[^"]*"\]$/.exec(line))) open.push(m[1]!);
    else if (/^\s*end$/.test(line)) {
      expect(open.length, "an end without a subgraph").toBeGreaterThan(0);
      open.pop();
    } else if (/^\s*direction (TB|LR)$/.test(line)) continue;
    else if ((m = /^\s*(\w+)\["([^"]*)"\]$/.exec(line))) {
      expect(parsed.nodes.has(m[1]!), `node ${m[1]} declared twice`).toBe(false);
      parsed.nodes.set(m[1]!, m[2]!);
      parsed.regionOf.set(m[1]!, open.at(-1) ?? "");
    } else if ((m = /^\s*(\w+) (?:-->|-\.->)\|"([^"]*)"\| (\w+)$/.exec(line)))
      parsed.edges.push({ from: m[1]!, label: m[2]!, to: m[3]! });
    else throw new Error(`not a line the picture writes: ${line}`);
  }
  expect(open, "unclosed subgraph").toEqual([]);
  return parsed;
}

function topologyOf(summary: string): string {
  const m = /### Topology\n\n```mermaid\n([\s\S]*?)\n```/.exec(summary);
  if (!m) throw new Error("summary.md has no topology picture");
  return m[1]!;
}

type Stack = { plan: PlanFile; picture: Parsed; rows: ObjectiveRow[]; summary: string };
const stacks: Record<string, Stack> = {};
beforeAll(async () => {
  const plans = await synthesiseStacks(["primary", "dr"]);
  for (const [name, reply] of plans) {
    const summary = reply.files["summary.md"]!;
    stacks[name] = {
      plan: JSON.parse(reply.files["plan.json"]!),
      picture: parseMermaid(topologyOf(summary)),
      rows: JSON.parse(reply.files["objectives.json"]!),
      summary,
    };
  }
}, 60_000);

describe.each(["primary", "dr"])("topology of %s", (name) => {
  it("every edge joins declared nodes", () => {
    const { picture } = stacks[name]!;
    expect(picture.edges.length).toBeGreaterThan(0);
    for (const e of picture.edges) {
      expect(picture.nodes.has(e.from), `${e.from} undeclared`).toBe(true);
      expect(picture.nodes.has(e.to), `${e.to} undeclared`).toBe(true);
    }
  });

  it("traffic runs DNS → ALB → gateways ×3 → each worker pool → Redis, OpenSearch, each PostgreSQL instance", () => {
    const { picture, plan } = stacks[name]!;
    const label = (id: string) => picture.nodes.get(id)!;
    const next = (from: string) => picture.edges.filter((e) => e.from === from).map((e) => e.to);
    const dns = [...picture.nodes.keys()].find(
      (id) =>
        label(id).startsWith("Route 53") &&
        picture.regionOf.get(id)!.includes(plan.region!.replace(/-/g, "_")),
    )!;
    const [alb] = next(dns);
    expect(label(alb!)).toMatch(/^ALB /);
    const [gw] = next(alb!);
    expect(label(gw!)).toBe("gateways ×3");
    const pools = next(gw!);
    expect(pools).toHaveLength(3);
    const instances = plan.resources.filter(
      (r) => r.type === "aws:rds/instance:Instance" && r.region === plan.region,
    );
    for (const pool of pools) {
      const stores = next(pool).map(label);
      expect(stores.filter((l) => /^Redis /.test(l))).toHaveLength(1);
      expect(stores.filter((l) => /^OpenSearch /.test(l))).toHaveLength(1);
      expect(stores.filter((l) => /^PostgreSQL /.test(l))).toHaveLength(instances.length);
      expect(instances.length).toBeGreaterThan(0);
    }
  });

  it("the component tree stays below the picture", () => {
    const { summary } = stacks[name]!;
    expect(summary.indexOf("### Component tree")).toBeGreaterThan(summary.indexOf("### Topology"));
  });
});

describe("cross-region links of the DR stack", () => {
  const edgeInto = (s: Stack, label: RegExp) => s.picture.edges.filter((e) => label.test(e.label));
  const region = (s: Stack, id: string) => s.picture.regionOf.get(id)!.replace(/^region_/, "");
  const id = (r: string) => r.replace(/-/g, "_");

  it("each S3 replication configuration: from its region into this one, with its RPO", () => {
    const dr = stacks.dr!;
    const configs = dr.plan.resources.filter(
      (r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    );
    const edges = edgeInto(dr, /^S3 replication/);
    expect(edges).toHaveLength(configs.length);
    const row = dr.rows.find((r) => r.area === "backup")!;
    for (const [i, c] of configs.entries()) {
      expect(region(dr, edges[i]!.from)).toBe(id(c.region!));
      expect(region(dr, edges[i]!.to)).toBe(id(dr.plan.region!));
      expect(edges[i]!.label).toContain(`RPO ${formatSeconds(row.rpo!)}`);
    }
  });

  it("each CCR connection: from the leader's region into the follower, with its RPO", () => {
    const dr = stacks.dr!;
    const connections = dr.plan.resources.filter(
      (r) => r.type === "aws:opensearch/outboundConnection:OutboundConnection",
    );
    const edges = edgeInto(dr, /^CCR/);
    expect(edges).toHaveLength(connections.length);
    for (const [i, c] of connections.entries())
      expect(region(dr, edges[i]!.from)).toBe(id((c.inputs as any).remoteDomainInfo.region));
    // the RPO the objectives table gives it: its replication-lag alarm's bound
    const row = dr.rows.find((r) => r.mechanism.includes("cross-cluster replication"))!;
    expect(typeof row.rpo).toBe("number");
    expect(edges[0]!.label).toContain(`RPO ${formatSeconds(row.rpo!)}`);
  });

  it("each cross-region RDS replica: from its source's region, with its RPO", () => {
    const dr = stacks.dr!;
    const replicas = dr.plan.resources.filter(
      (r) =>
        r.type === "aws:rds/instance:Instance" &&
        String((r.inputs as any).replicateSourceDb ?? "").startsWith("arn:"),
    );
    const edges = edgeInto(dr, /^RDS cross-region replica/);
    expect(edges).toHaveLength(replicas.length);
    expect(replicas.length).toBeGreaterThan(0);
    const row = dr.rows.find((r) => r.area === "postgresql" && r.crossRegion)!;
    for (const [i, r] of replicas.entries()) {
      expect(region(dr, edges[i]!.from)).toBe(
        id(String((r.inputs as any).replicateSourceDb).split(":")[3]!),
      );
      expect(edges[i]!.label).toContain(`RPO ${formatSeconds(row.rpo!)}`);
    }
  });

  it("the failover record pair: PRIMARY in the peer region, SECONDARY here", () => {
    const dr = stacks.dr!;
    const [pair] = edgeInto(dr, /failover record pair/);
    expect(dr.picture.nodes.get(pair!.from)).toContain("PRIMARY");
    expect(dr.picture.nodes.get(pair!.to)).toContain("SECONDARY");
    expect(region(dr, pair!.from)).not.toBe(id(dr.plan.region!));
  });

  it("the primary, which owns no link, says where they are", () => {
    expect(stacks.primary!.picture.nodes.get("dr_note")).toContain("DR stack owns");
  });
});
