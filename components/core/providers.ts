import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterInputs } from "../../config";
import { eksKubeconfig } from "./kubeconfig";

/** The stack's AWS provider: its region, and default tags set once for every resource. */
export function regionalAwsProvider(
  name: string,
  region: string,
  tags: Record<string, string>,
  opts?: pulumi.CustomResourceOptions,
): aws.Provider {
  return new aws.Provider(
    `${name}-aws`,
    { region: region as aws.Region, defaultTags: { tags } },
    opts,
  );
}

/** Kubernetes provider for the stack's EKS cluster, its kubeconfig a secret. */
export function clusterK8sProvider(
  name: string,
  cluster: pulumi.Input<ClusterInputs>,
  region: string,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  const kubeconfig = pulumi.secret(pulumi.output(cluster).apply((c) => eksKubeconfig(c, region)));
  return new k8s.Provider(`${name}-k8s`, { kubeconfig, deleteUnreachable: false }, opts);
}
