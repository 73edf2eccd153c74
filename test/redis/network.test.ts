import { describe, expect, it } from "vitest";
import {
  EXPORTER_PORT,
  redisIngressPolicySpec,
  REDIS_PORT,
  SENTINEL_PORT,
  VEGA_POD_LABELS,
} from "../../components/redis";
import { workloadLabels } from "../../components/workload/labels";

const group = { "app.kubernetes.io/part-of": "vega", "app.kubernetes.io/instance": "r" };
const monitoring = { "kubernetes.io/metadata.name": "monitoring" };

describe("redisIngressPolicySpec", () => {
  it("admits Vega's pods of the namespace to Redis and Sentinel, the scrapers' namespace to the metrics", () => {
    const spec = redisIngressPolicySpec({
      groupSelector: group,
      scraperNamespaceLabels: monitoring,
      scraperPodLabels: {},
    });
    expect(spec).toEqual({
      podSelector: { matchLabels: group },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: VEGA_POD_LABELS } }],
          ports: [
            { protocol: "TCP", port: REDIS_PORT },
            { protocol: "TCP", port: SENTINEL_PORT },
          ],
        },
        {
          from: [{ namespaceSelector: { matchLabels: monitoring } }],
          ports: [{ protocol: "TCP", port: EXPORTER_PORT }],
        },
      ],
    });
  });

  it("admits Vega's pods by a label every Vega workload carries, never every pod", () => {
    // An empty podSelector would admit every pod of the namespace.
    expect(Object.keys(VEGA_POD_LABELS).length).toBeGreaterThan(0);
    expect(workloadLabels("gateway", "api")).toMatchObject(VEGA_POD_LABELS);
  });

  it("puts the scrapers' pod labels in the same peer as their namespace (both must match)", () => {
    const pods = { "app.kubernetes.io/name": "prometheus" };
    const spec = redisIngressPolicySpec({
      groupSelector: group,
      scraperNamespaceLabels: monitoring,
      scraperPodLabels: pods,
    });
    expect((spec as { ingress: { from: unknown }[] }).ingress[1]!.from).toEqual([
      { namespaceSelector: { matchLabels: monitoring }, podSelector: { matchLabels: pods } },
    ]);
  });

  it("refuses selectors that would match everything", () => {
    expect(() =>
      redisIngressPolicySpec({
        groupSelector: {},
        scraperNamespaceLabels: monitoring,
        scraperPodLabels: {},
      }),
    ).toThrow(/empty groupSelector/);
    expect(() =>
      redisIngressPolicySpec({
        groupSelector: group,
        scraperNamespaceLabels: {},
        scraperPodLabels: {},
      }),
    ).toThrow(/empty scraperNamespaceLabels/);
  });
});
