import * as pulumi from "@pulumi/pulumi";
import { parsePrimaryOutputs, type StackConfig, type StackOutputs } from "../../config";
import {
  childName,
  clusterK8sProvider,
  defaultTags,
  regionalAwsProvider,
  resolvePlatform,
  stackPrefix,
} from "../core";
import type { DashboardSet } from "../observability";
import { VegaRegion } from "./region";

/** Reads the primary's outputs contract through a StackReference and parses it. */
export function primaryContract(name: string, primaryStack: string): pulumi.Output<StackOutputs> {
  const ref = new pulumi.StackReference(name, { name: primaryStack });
  return ref.outputs.apply((outputs) => parsePrimaryOutputs(outputs, primaryStack));
}

/**
 * The whole program for one stack, from validated config: providers, platform inputs, the
 * primary's contract (DR only), the region with the dashboards it ships. Returns the stack outputs (the contract).
 */
export function deployStack(
  config: StackConfig,
  dashboards: DashboardSet,
  stack: string = pulumi.getStack(),
) {
  const prefix = stackPrefix(config.environment, config.region);
  const tags = defaultTags({
    environment: config.environment,
    stack,
    region: config.region,
    extra: config.tags,
  });
  const aws = regionalAwsProvider(prefix, config.region, tags);
  const platform = resolvePlatform(prefix, config.platform);
  const k8s = clusterK8sProvider(prefix, platform.cluster, config.region);
  const primary =
    config.role === "dr"
      ? primaryContract(childName(prefix, "primary"), config.primaryStack!)
      : undefined;
  const region = new VegaRegion(
    prefix,
    { config, platform, primary, dashboards },
    { providers: [aws, k8s] },
  );
  return region.outputs;
}
