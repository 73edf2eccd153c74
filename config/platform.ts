/**
 * What this project does not create: the VPC, subnets, EKS cluster and Route 53 zone. Given
 * directly in stack config, or read from a platform stack's outputs (names in PLATFORM_OUTPUTS).
 */
import { z } from "zod";
import { arn, bool, list, matching, refuse, section, slug, stackName, strict, text } from "./types";

const subnetIds = list(
  matching(/^subnet-[0-9a-f]{8,17}$/, "a subnet id such as subnet-0a1b2c3d"),
  2,
  "a list of at least 2 subnet ids (two zones)",
);

export const networkSchema = strict({
  /** The VPC everything runs in. */
  vpcId: matching(/^vpc-[0-9a-f]{8,17}$/, "a VPC id such as vpc-0a1b2c3d"),
  /** Public subnets, one per zone: the load balancer. */
  publicSubnetIds: subnetIds,
  /** Private subnets, one per zone: databases, search domains, pods. */
  privateSubnetIds: subnetIds,
});

export const clusterSchema = strict({
  /** EKS cluster name (used by `aws eks get-token` in the generated kubeconfig). */
  name: text("an EKS cluster name"),
  /** Cluster API endpoint. */
  endpoint: matching(/^https:\/\/\S+$/, "an https:// cluster endpoint"),
  /** Base64 certificate authority data of the cluster. */
  certificateAuthorityData: text("base64 certificate authority data"),
  /** IAM OIDC provider of the cluster, for service-account IAM roles (IRSA). */
  oidcProviderArn: arn("iam"),
  /** Issuer URL of that provider, without https:// (e.g. oidc.eks.us-east-1.amazonaws.com/id/ABC). */
  oidcProviderUrl: matching(
    /^(?!https?:\/\/)[a-z0-9.-]+\/\S+$/,
    "the OIDC issuer without https://",
  ),
});

export const dnsSchema = strict({
  /** Route 53 hosted zone that holds the failover records. */
  zoneId: matching(/^Z[A-Z0-9]{4,32}$/, "a Route 53 hosted zone id such as Z0123456789ABC"),
  /** The public name clients use, e.g. vega.example.com. */
  domain: matching(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "a DNS name such as vega.example.com"),
});

/**
 * Either `stack` (read everything from that platform stack) or `network` + `cluster` + `dns`.
 */
export const platformSchema = strict({
  /** Platform stack whose outputs provide network, cluster and dns. Default: none. */
  stack: stackName().optional(),
  network: networkSchema.optional(),
  cluster: clusterSchema.optional(),
  dns: dnsSchema.optional(),
}).superRefine((p, ctx) => {
  const direct = (["network", "cluster", "dns"] as const).filter((k) => p[k] !== undefined);
  if (p.stack !== undefined)
    for (const k of direct)
      refuse(
        ctx,
        [k],
        p[k],
        "not allowed together with platform.stack (the platform stack provides it)",
      );
  if (p.stack === undefined) {
    for (const k of ["network", "cluster", "dns"] as const) {
      if (p[k] === undefined)
        refuse(ctx, [k], undefined, "required unless platform.stack names a platform stack");
    }
  }
});

export const kubernetesSchema = section({
  /** Namespace every Vega workload runs in. Default "vega". */
  namespace: slug(63).default("vega"),
  /** Create the namespace (false when the platform team owns it). Default true. */
  createNamespace: bool().default(true),
});

export type NetworkInputs = z.infer<typeof networkSchema>;
export type ClusterInputs = z.infer<typeof clusterSchema>;
export type DnsInputs = z.infer<typeof dnsSchema>;
export type PlatformConfig = z.infer<typeof platformSchema>;

/** Output names a platform stack must export when `platform.stack` is used. */
export const PLATFORM_OUTPUTS = {
  network: "network",
  cluster: "cluster",
  dns: "dns",
} as const;

/** The same shapes, parsed from a platform stack's outputs. */
export const platformOutputsSchema = z.object({
  [PLATFORM_OUTPUTS.network]: networkSchema,
  [PLATFORM_OUTPUTS.cluster]: clusterSchema,
  [PLATFORM_OUTPUTS.dns]: dnsSchema,
});
