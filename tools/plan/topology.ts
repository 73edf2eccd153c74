/**
 * The topology picture of summary.md (Mermaid, rendered by GitHub in the pull request): traffic
 * from DNS through the ALB, the gateways and the worker pools to the stores, both regions side by
 * side, and the cross-region links the recorded resources hold, each edge labelled with its
 * mechanism and, for data, the RPO the objectives table gives it. Read from the recorded
 * resources only: what would be deployed.
 */
import { formatSeconds, type ObjectiveRow } from "../../components/core/objectives";
import type { ResourceProps } from "../../components/core/plan";
import type { PlanFile, PlanResource } from "./protocol";

/** Mermaid label text: double quotes would end the label. */
const text = (s: unknown) => String(s).replace(/"/g, "'");

interface Graph {
  nodes: Map<string, { label: string; region: string }>;
  edges: string[];
}

function node(g: Graph, id: string, region: string, label: string): string {
  g.nodes.set(id, { label: text(label), region });
  return id;
}

function edge(g: Graph, from: string, to: string, label: string, dotted = false): void {
  g.edges.push(`  ${from} ${dotted ? "-.->" : "-->"}|"${text(label)}"| ${to}`);
}

const ofType = (plan: PlanFile, type: string) => plan.resources.filter((r) => r.type === type);
const inputs = (r: PlanResource) => r.inputs as ResourceProps;
const regionId = (region: string) => region.replace(/-/g, "_");

/** The RPO a data edge is labelled with: the objectives row of that mechanism, if any. */
function rpoOf(rows: ObjectiveRow[], match: (r: ObjectiveRow) => boolean): string {
  const row = rows.find(match);
  return row?.rpo === undefined ? "" : `, RPO ${formatSeconds(row.rpo)}`;
}

function traffic(g: Graph, plan: PlanFile, rows: ObjectiveRow[], home: string): void {
  const r = regionId(home);
  const record = ofType(plan, "aws:route53/record:Record").find(
    (x) => inputs(x).failoverRoutingPolicies?.length,
  );
  const alb = ofType(plan, "aws:lb/loadBalancer:LoadBalancer")[0];
  const gateway = ofType(plan, "kubernetes:apps/v1:Deployment").find(
    (d) => inputs(d).spec?.template?.spec?.readinessGates?.length,
  );
  const pools = ofType(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
  const redis = ofType(plan, "kubernetes:apps/v1:StatefulSet").find((s) =>
    s.name.endsWith("redis-nodes"),
  );
  const search = ofType(plan, "aws:opensearch/domain:Domain").find((d) => d.region === home);
  const postgres = ofType(plan, "aws:rds/instance:Instance").filter((d) => d.region === home);
  const dns = record
    ? node(
        g,
        `${r}_dns`,
        home,
        `Route 53 ${inputs(record).name}<br/>${inputs(record).failoverRoutingPolicies[0].type}`,
      )
    : undefined;
  const lb = alb ? node(g, `${r}_alb`, home, `ALB ${alb.name}`) : undefined;
  if (dns && lb) edge(g, dns, lb, "failover alias, health check /health");
  const gw = gateway
    ? node(g, `${r}_gw`, home, `gateways ×${inputs(gateway).spec.replicas}`)
    : undefined;
  if (lb && gw) edge(g, lb, gw, "TargetGroupBinding, IP targets");
  const vaultBucket = ofType(plan, "aws:s3/bucket:Bucket").find((b) =>
    b.name.endsWith("backup-bucket"),
  );
  const vault = vaultBucket ? node(g, `${r}_vault`, home, "backup vault (S3)") : undefined;
  /** Each store with what its edge from the workers says: mechanism and in-region RPO. */
  const stores: [string, string][] = [];
  if (redis)
    stores.push([
      node(g, `${r}_redis`, home, `Redis ×${inputs(redis).spec.replicas} + Sentinel`),
      "cache; Sentinel failover in region, not backed up",
    ]);
  if (search) {
    const id = node(g, `${r}_search`, home, `OpenSearch ${inputs(search).domainName}`);
    const rpo = bestRpo(rows, (x) => x.area === "opensearch" && !x.crossRegion);
    stores.push([id, `index, search${rpo}`]);
    if (vault) edge(g, id, vault, `snapshots${rpo}`);
  }
  for (const [i, db] of postgres.entries()) {
    const rpo = bestRpo(rows, (x) => x.area === "postgresql" && !x.crossRegion);
    stores.push([
      node(g, `${r}_pg${i}`, home, `PostgreSQL ${inputs(db).identifier ?? db.name}`),
      `metadata${rpo}`,
    ]);
  }
  for (const [i, pool] of pools.entries()) {
    const id = node(g, `${r}_pool${i}`, home, `workers ${inputs(pool).metadata.name}`);
    if (gw) edge(g, gw, id, "service discovery");
    for (const [store, label] of stores) edge(g, id, store, label);
  }
}

/** The best (smallest) RPO of the rows that match (a store's in-region mechanisms), as an edge label suffix. */
function bestRpo(rows: ObjectiveRow[], match: (r: ObjectiveRow) => boolean): string {
  const bounds = rows.filter(match).flatMap((r) => (typeof r.rpo === "number" ? [r.rpo] : []));
  return bounds.length === 0 ? "" : `; in-region RPO ${formatSeconds(Math.min(...bounds))}`;
}

/** The cross-region links this stack owns, with the peer in the other region as a node. */
function links(g: Graph, plan: PlanFile, rows: ObjectiveRow[], home: string): void {
  const r = regionId(home);
  for (const [i, rep] of ofType(
    plan,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  ).entries()) {
    const source = node(g, `vault_src${i}`, rep.region!, `vault ${inputs(rep).bucket}`);
    const target = `${r}_vault`;
    edge(
      g,
      source,
      target,
      `S3 replication${rpoOf(rows, (x) => x.area === "backup" && x.mechanism.includes(String(inputs(rep).bucket)))}`,
    );
  }
  for (const [i, c] of ofType(
    plan,
    "aws:opensearch/outboundConnection:OutboundConnection",
  ).entries()) {
    const remote = inputs(c).remoteDomainInfo ?? {};
    const leader = node(g, `search_leader${i}`, remote.region, `OpenSearch ${remote.domainName}`);
    edge(
      g,
      leader,
      `${r}_search`,
      `CCR${rpoOf(rows, (x) => x.mechanism.includes("cross-cluster replication"))}`,
    );
  }
  for (const [i, db] of ofType(plan, "aws:rds/instance:Instance").entries()) {
    const source = inputs(db).replicateSourceDb;
    const sourceRegion = typeof source === "string" ? source.split(":")[3] : undefined;
    if (!sourceRegion || sourceRegion === home) continue;
    const primaryDb = node(
      g,
      `pg_source${i}`,
      sourceRegion,
      `PostgreSQL ${String(source).split(":").pop()}`,
    );
    edge(
      g,
      primaryDb,
      `${r}_pg${i}`,
      `RDS cross-region replica${rpoOf(rows, (x) => x.area === "postgresql" && x.crossRegion === true)}`,
    );
  }
  const record = ofType(plan, "aws:route53/record:Record").find(
    (x) => inputs(x).failoverRoutingPolicies?.length,
  );
  if (record && inputs(record).failoverRoutingPolicies[0].type === "SECONDARY") {
    const peerRegion =
      plan.resources.find((x) => x.region && x.region !== home)?.region ?? "primary region";
    const peer = node(g, "peer_dns", peerRegion, `Route 53 ${inputs(record).name}<br/>PRIMARY`);
    edge(g, peer, `${r}_dns`, "failover record pair: SECONDARY answers when PRIMARY fails", true);
  }
}

export function renderTopology(plan: PlanFile, rows: ObjectiveRow[]): string {
  const home = plan.region ?? "home";
  const g: Graph = { nodes: new Map(), edges: [] };
  traffic(g, plan, rows, home);
  links(g, plan, rows, home);
  const regions = [home, ...new Set([...g.nodes.values()].map((n) => n.region))].filter(
    (r, i, all) => all.indexOf(r) === i,
  );
  const lines = ["flowchart LR"];
  for (const region of regions) {
    const title =
      region === home
        ? `${plan.stack}: ${region}`
        : `${region} (peer region, seen from ${plan.stack})`;
    lines.push(`  subgraph region_${regionId(region)}["${text(title)}"]`, "    direction TB");
    for (const [id, n] of g.nodes) if (n.region === region) lines.push(`    ${id}["${n.label}"]`);
    lines.push("  end");
  }
  if (regions.length === 1 && plan.outputs.role === "primary")
    lines.push(
      `  subgraph region_dr["DR region"]`,
      `    dr_note["the DR stack owns every cross-region link:<br/>see its plan"]`,
      "  end",
    );
  lines.push(...g.edges);
  return lines.join("\n");
}
