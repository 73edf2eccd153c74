import { stringify } from "yaml";
import type { ClusterInputs } from "../../config";

/**
 * A kubeconfig for an EKS cluster that fetches short-lived tokens with `aws eks get-token`, so no
 * long-lived credential is ever stored in config or state.
 */
export function eksKubeconfig(cluster: ClusterInputs, region: string): string {
  const name = cluster.name;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name,
        cluster: {
          server: cluster.endpoint,
          "certificate-authority-data": cluster.certificateAuthorityData,
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              name,
              "--region",
              region,
              "--output",
              "json",
            ],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
