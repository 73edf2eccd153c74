/**
 * Who may reach the Redis group, as a NetworkPolicy spec: Vega's own pods (clients, and the Redis
 * nodes and Sentinels among themselves) on the Redis and Sentinel ports, and Prometheus, from its
 * namespace, on the exporters' metrics port. Every other ingress to the group's pods is dropped.
 * Egress stays open: the start-up script asks the Sentinels and the other nodes, and resolves
 * their names through the cluster DNS.
 */
import { types } from "@pulumi/kubernetes";
import { EXPORTER_PORT, REDIS_PORT, SENTINEL_PORT } from "./topology";

import Input = types.input.networking.v1;

/** The label every Vega pod carries (components/workload/labels.ts, and the Redis group's own). */
export const VEGA_POD_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/part-of": "vega",
};

export interface RedisIngressInputs {
  /** Labels shared by the group's Redis and Sentinel pods (the policy applies to them). */
  groupSelector: Record<string, string>;
  /** Labels of the namespace Prometheus scrapes from (matched with namespaceSelector). */
  scraperNamespaceLabels: Record<string, string>;
  /** Labels of Prometheus' pods inside that namespace; empty: any pod there. */
  scraperPodLabels: Record<string, string>;
}

const tcp = (port: number): Input.NetworkPolicyPort => ({ protocol: "TCP", port });

/** The NetworkPolicy spec of a Redis group. */
export function redisIngressPolicySpec(p: RedisIngressInputs): Input.NetworkPolicySpec {
  if (Object.keys(p.groupSelector).length === 0)
    throw new Error("redisIngressPolicySpec: an empty groupSelector would select every pod");
  if (Object.keys(p.scraperNamespaceLabels).length === 0)
    throw new Error(
      "redisIngressPolicySpec: empty scraperNamespaceLabels would admit every namespace",
    );
  const scraperPods =
    Object.keys(p.scraperPodLabels).length > 0
      ? { podSelector: { matchLabels: { ...p.scraperPodLabels } } }
      : {};
  return {
    podSelector: { matchLabels: { ...p.groupSelector } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        // A podSelector alone matches pods of the policy's own namespace only.
        from: [{ podSelector: { matchLabels: { ...VEGA_POD_LABELS } } }],
        ports: [tcp(REDIS_PORT), tcp(SENTINEL_PORT)],
      },
      {
        // namespaceSelector and podSelector in ONE peer: both must match (AND, not OR).
        from: [
          {
            namespaceSelector: { matchLabels: { ...p.scraperNamespaceLabels } },
            ...scraperPods,
          },
        ],
        ports: [tcp(EXPORTER_PORT)],
      },
    ],
  };
}
