/** Checks on a synthesised stack's search area, shared by the stack test files. */
import { OPENSEARCH_REST_TYPE } from "../../components/opensearch";
import type { Synth } from "../harness";

export const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
export const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";
export const DOMAIN = "aws:opensearch/domain:Domain";

/** The REST-managed objects of a kind. */
export const restOf = (s: Synth, kind: string) =>
  s.ofType(OPENSEARCH_REST_TYPE).filter((r) => r.inputs.kind === kind);

/** Days in an SM policy's deletion.condition.max_age ("14d" -> 14). */
export const maxAgeDays = (body: any) =>
  Number(/^(\d+)d$/.exec(body.deletion.condition.max_age)![1]);

/** The Data Stores dashboard as the stack ships it. */
export function dataStoresDashboard(s: Synth): any {
  const cm = s
    .ofType("kubernetes:core/v1:ConfigMap")
    .find((c) => (c.inputs.metadata as any)?.name === "vega-data-stores-dashboard")!;
  return JSON.parse((cm.inputs.data as Record<string, string>)["vega-data-stores.json"]!);
}

/** The DomainName dimensions of every OpenSearch (AWS/ES) query of a dashboard. */
export function openSearchDomainDimensions(dashboard: any): string[] {
  return (dashboard.panels as any[])
    .flatMap((p) => p.targets ?? [])
    .filter((t) => t.namespace === "AWS/ES")
    .map((t) => t.dimensions?.DomainName);
}
