/**
 * Workload guardrails that hold for every Vega pod, whatever its area: a pod gets a Kubernetes
 * API token only when it calls the API, under a ServiceAccount of its own.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { podSpecsOf } from "./edge";

export const apiTokenOnlyWhenNeeded: ResourceValidationPolicy = {
  name: "vega-pod-api-token-only-when-needed",
  description:
    "A pod that runs under the namespace's default ServiceAccount sets automountServiceAccountToken: false; a pod that calls the Kubernetes API gets a ServiceAccount of its own.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `automountServiceAccountToken: false` in the pod spec, or run the pod under a ServiceAccount of its own when it calls the Kubernetes API.",
  validateResource: (args, report) => {
    for (const pod of podSpecsOf(args)) {
      if (pod.automountServiceAccountToken === false) continue;
      const account = pod.serviceAccountName ?? pod.serviceAccount;
      if (account === undefined || account === "" || account === "default")
        report(
          "pods mount the default ServiceAccount's API token: set automountServiceAccountToken: false, or give them a ServiceAccount of their own",
        );
    }
  },
};

export const kubernetesPolicies = [apiTokenOnlyWhenNeeded];
