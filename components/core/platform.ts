import * as pulumi from "@pulumi/pulumi";
import {
  platformOutputsSchema,
  type ClusterInputs,
  type DnsInputs,
  type NetworkInputs,
  type PlatformConfig,
} from "../../config";

/** The network, cluster and zone this stack deploys into. */
export interface PlatformInputs {
  network: pulumi.Output<NetworkInputs>;
  cluster: pulumi.Output<ClusterInputs>;
  dns: pulumi.Output<DnsInputs>;
}

/** Reads the platform from config, or from the platform stack named there (parsed by schema). */
export function resolvePlatform(
  name: string,
  platform: PlatformConfig,
  opts?: pulumi.CustomResourceOptions,
): PlatformInputs {
  if (platform.stack === undefined) {
    return {
      network: pulumi.output(platform.network!),
      cluster: pulumi.output(platform.cluster!),
      dns: pulumi.output(platform.dns!),
    };
  }
  const stack = platform.stack;
  const ref = new pulumi.StackReference(`${name}-platform`, { name: stack }, opts);
  const parsed = ref.outputs.apply((outputs) => {
    const result = platformOutputsSchema.safeParse(outputs);
    if (!result.success) {
      const details = result.error.issues
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ");
      throw new Error(`platform stack ${stack} outputs are not usable: ${details}`);
    }
    return result.data;
  });
  return { network: parsed.network, cluster: parsed.cluster, dns: parsed.dns };
}
