/** Edge-only fixtures (the config fixtures every area uses are in test/harness/config.ts). */
import type { EdgeArgs } from "../../components/edge";
import type { StackConfig } from "../../config";

/** Arguments of an Edge component built from a parsed config, in `region`, behind the gateway. */
export function edgeArgsFor(config: StackConfig, region: string): EdgeArgs {
  return {
    region,
    network: config.platform.network!,
    config: config.edge,
    target: {
      serviceName: "vega-gateway",
      namespace: "vega",
      port: config.gateway.port,
      bindingName: "vega-gateway",
    },
    accessLogBucket: {
      noncurrentVersionDays: config.backup.retention.noncurrentVersionDays,
      incompleteUploadDays: config.backup.retention.incompleteUploadDays,
      protect: config.protect,
    },
    deletionProtection: config.protect,
  };
}
