/** The recommended Kubernetes labels every Vega workload carries. */
export function workloadLabels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "vega",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** Selector labels: name and component only (a selector is immutable, so nothing that may change). */
export function selectorLabels(labels: Record<string, string>): Record<string, string> {
  return {
    "app.kubernetes.io/name": labels["app.kubernetes.io/name"]!,
    "app.kubernetes.io/component": labels["app.kubernetes.io/component"]!,
  };
}
