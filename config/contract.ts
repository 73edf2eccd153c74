/**
 * The primary→DR contract: the stack outputs every stack exports, and the DR stack parses from
 * the primary with this same schema. Bump CONTRACT_VERSION on a breaking change.
 */
import { z } from "zod";
import { ROLES } from "./schema";

export const CONTRACT_VERSION = 1;

const name = z.string().min(1);

export const backupOutputsSchema = z.strictObject({
  region: name,
  bucketName: name,
  bucketArn: z.string().startsWith("arn:"),
  kmsKeyArn: z.string().startsWith("arn:"),
  /**
   * Whether the vault has S3 Object Lock (added in contract v1, optional: a primary deployed
   * before it does not export it). A DR vault replicating from a locked one must be locked too.
   */
  objectLockEnabled: z.boolean().optional(),
});

export const observabilityOutputsSchema = z.strictObject({
  /** SNS topic of the region's CloudWatch alarms (the DR stack's alarms in the primary region use it). */
  alertTopicArn: z.string().startsWith("arn:"),
});

/** The region's failover record and what it points at (components/edge). */
export const edgeOutputsSchema = z.strictObject({
  /** The public name (both stacks' records share it) and its hosted zone. */
  recordName: name,
  zoneId: name,
  /** PRIMARY in the primary stack, SECONDARY in the DR stack. */
  failover: z.enum(["PRIMARY", "SECONDARY"]),
  setIdentifier: name,
  healthCheckId: name,
  loadBalancerDnsName: name,
});

/**
 * The region's search domain (components/opensearch). Optional (added to contract v1): a primary
 * deployed before it existed exports none, and the DR side says to deploy the primary first.
 */
export const opensearchOutputsSchema = z.strictObject({
  domainArn: z.string().startsWith("arn:"),
  domainName: name,
  endpoint: name,
  region: name,
  /** e.g. OpenSearch_2.19: the DR domain must run the same major version. */
  engineVersion: z.string().regex(/^OpenSearch_\d+\.\d+$/),
});

export const stackOutputsSchema = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  role: z.enum(ROLES),
  environment: name,
  region: name,
  backup: backupOutputsSchema,
  observability: observabilityOutputsSchema,
  edge: edgeOutputsSchema,
  opensearch: opensearchOutputsSchema.optional(),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;

/** Parses the primary's outputs on the DR side; the error names every field that is off. */
export function parsePrimaryOutputs(outputs: Record<string, unknown>, stack: string): StackOutputs {
  const parsed = stackOutputsSchema.safeParse(outputs);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("\n");
    throw new Error(
      `outputs of primary stack ${stack} do not follow contract v${CONTRACT_VERSION}:\n${details}`,
    );
  }
  if (parsed.data.role !== "primary")
    throw new Error(`stack ${stack} has role ${parsed.data.role}, expected primary`);
  return parsed.data;
}

/** The contract as a program builds it: every leaf may still be an output. */
export type Deferred<T> = {
  [K in keyof T]: T[K] extends Record<string, unknown>
    ? Deferred<T[K]>
    : import("@pulumi/pulumi").Input<T[K]>;
};
export type StackOutputsInput = Deferred<StackOutputs>;
