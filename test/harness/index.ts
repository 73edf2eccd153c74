/**
 * Test harness: synthesise a component or a whole stack under recording mocks and query what
 * was registered. Await everything; never assert inside apply.
 */
import * as path from "node:path";
import { synthesize, type SynthOptions, type SynthResult } from "../../tools/synth/recorder";
import type { RecordedResource } from "../../components/core/plan";
import { readProjectName, readStackFile } from "../../tools/synth/stack-file";
import {
  parseStackConfig,
  rawProjectConfig,
  stackOutputsSchema,
  type StackConfig,
  type StackOutputs,
} from "../../config";

export { REDACTED, type RecordedResource } from "../../components/core/plan";

import { REPO_ROOT } from "../../tools/paths";

/** The repository root (one constant: tools/paths.ts). */
export const ROOT = REPO_ROOT;

/** Query helpers over a synthesis result. */
export class Synth {
  constructor(readonly result: SynthResult) {}

  get resources(): RecordedResource[] {
    return this.result.resources;
  }

  get outputs(): Record<string, any> {
    return this.result.outputs;
  }

  /** All resources of a type token (e.g. "aws:s3/bucket:Bucket"). */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of that type whose name ends with `suffix`; throws when not exactly one. */
  one(type: string, suffix = ""): RecordedResource {
    const found = this.ofType(type).filter((r) => r.name.endsWith(suffix));
    if (found.length !== 1) {
      throw new Error(
        `expected one ${type} named *${suffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
      );
    }
    return found[0]!;
  }

  byUrn(urn: string | undefined): RecordedResource | undefined {
    return urn === undefined ? undefined : this.resources.find((r) => r.urn === urn);
  }

  /** The parent resource of `r`. */
  parentOf(r: RecordedResource): RecordedResource | undefined {
    return this.byUrn(r.parent);
  }

  /** Direct children of a resource. */
  childrenOf(r: RecordedResource): RecordedResource[] {
    return this.resources.filter((c) => c.parent === r.urn);
  }
}

/** Synthesises an arbitrary program (e.g. one component) under recording mocks. */
export async function synth(
  program: () => unknown,
  options: Partial<SynthOptions> = {},
): Promise<Synth> {
  return new Synth(await synthesize(program, { project: "vega-ha", stack: "test", ...options }));
}

/**
 * Synthesises a program that must fail while Pulumi serialises an input (an error thrown in an
 * `apply`, e.g. a check against the primary's contract). Pulumi reports those as unhandled
 * rejections, as `pulumi up` does (its language host prints them and exits 1): they are
 * collected here instead of failing the test run, and returned.
 */
export async function synthFailures(program: () => unknown): Promise<Error[]> {
  const failures: Error[] = [];
  const previous = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (reason) => failures.push(reason as Error));
  try {
    await synth(program).catch((err: Error) => failures.push(err));
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const listener of previous) process.on("unhandledRejection", listener);
  }
  return failures;
}

/** Reads Pulumi.<stack>.yaml of this repository into the config map Pulumi would pass. */
export function stackFileConfig(stack: string) {
  const project = readProjectName(path.join(ROOT, "Pulumi.yaml"));
  return { project, ...readStackFile(path.join(ROOT, `Pulumi.${stack}.yaml`), project) };
}

/** The `vega-ha:*` values of a stack file (overrides by full key), decoded as the program gets them. */
export function stackRawConfig(
  stack: "primary" | "dr",
  override: Record<string, string> = {},
): Record<string, any> {
  return rawProjectConfig({ ...stackFileConfig(stack).config, ...override });
}

/** A stack file's config (overrides by full key), parsed as the program parses it. */
export function stackConfig(
  stack: "primary" | "dr",
  override: Record<string, string> = {},
): StackConfig {
  return parseStackConfig(stackRawConfig(stack, override));
}

/**
 * Synthesises the real program (index.ts) for a stack from its real config file. Use once per
 * test file: the runtime is global to the process.
 */
export async function synthStack(
  stack: "primary" | "dr",
  options: { override?: Record<string, string>; stackOutputs?: SynthOptions["stackOutputs"] } = {},
): Promise<Synth> {
  const { project, config, secretKeys } = stackFileConfig(stack);
  return synth(() => import("../../index.js"), {
    project,
    stack,
    config: { ...config, ...options.override },
    secretKeys,
    stackOutputs: options.stackOutputs,
  });
}

/**
 * Outputs a primary plan would export, for synthesising the DR stack in isolation (parsed with
 * the contract, so the fixture cannot drift from it). The plan tests feed DR with the real ones.
 */
export function examplePrimaryOutputs(): StackOutputs {
  return stackOutputsSchema.parse({
    contractVersion: 1,
    role: "primary",
    environment: "prod",
    region: "us-east-1",
    backup: {
      region: "us-east-1",
      bucketName: "vega-prod-use1-backup-bucket-0000000",
      bucketArn: "arn:aws:s3:::vega-prod-use1-backup-bucket-0000000",
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000",
    },
    observability: {
      alertTopicArn:
        "arn:aws:sns:us-east-1:123456789012:vega-prod-use1-observability-alerts-topic-0000000",
    },
    edge: {
      recordName: "vega.example.com",
      zoneId: "Z0123456789ABCDEFGHIJ",
      failover: "PRIMARY",
      setIdentifier: "primary-use1",
      healthCheckId: "00000000-0000-0000-0000-000000000000",
      loadBalancerDnsName: "vega-prod-use1-alb-0000000000.us-east-1.elb.amazonaws.com",
    },
    opensearch: {
      domainArn: "arn:aws:es:us-east-1:123456789012:domain/vega-prod-use1-search",
      domainName: "vega-prod-use1-search",
      endpoint: "vpc-vega-prod-use1-search-0000000000.us-east-1.es.amazonaws.com",
      region: "us-east-1",
      engineVersion: "OpenSearch_2.19",
    },
    postgres: {
      region: "us-east-1",
      instanceArn: "arn:aws:rds:us-east-1:123456789012:db:vega-prod-use1-postgres",
      instanceIdentifier: "vega-prod-use1-postgres",
      endpoint: "vega-prod-use1-postgres.000000000000.us-east-1.rds.amazonaws.com",
      port: 5432,
      databaseName: "vega_metadata",
      writable: true,
      appCredentialsSecret: "vega-metadata-app",
    },
  });
}

/** Synthesises the DR stack fed with `examplePrimaryOutputs()` (or the given ones). */
export function synthDr(
  options: { override?: Record<string, string>; primary?: StackOutputs } = {},
): Promise<Synth> {
  const { config, project } = stackFileConfig("dr");
  const primaryStack = config[`${project}:primaryStack`]!;
  return synthStack("dr", {
    override: options.override,
    stackOutputs: { [primaryStack]: options.primary ?? examplePrimaryOutputs() },
  });
}
