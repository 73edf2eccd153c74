/**
 * The stack files of this repository as the program reads them, and an example of the primary's
 * outputs: what config and contract tests need, without the Pulumi runtime (the synthesis half of
 * the harness, index.ts, loads it; a config test file then imports in a fraction of the time,
 * which is what a mutation run pays per file).
 */
import * as path from "node:path";
import {
  parseStackConfig,
  rawProjectConfig,
  stackOutputsSchema,
  type StackConfig,
  type StackOutputs,
} from "../../config";
import { REPO_ROOT } from "../../tools/paths";
import { readProjectName, readStackFile } from "../../tools/synth/stack-file";

/** The repository root (one constant: tools/paths.ts). */
export const ROOT = REPO_ROOT;

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
