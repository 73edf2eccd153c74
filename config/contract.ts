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

/**
 * The metadata database (components/postgres): what the DR replica sources and what an
 * application stack connects to. Optional (additive, contract v1): a primary deployed before
 * the database existed exports none; code that needs it says "deploy the primary first".
 */
export const postgresOutputsSchema = z.strictObject({
  region: name,
  /** The primary instance's ARN: a cross-region replica's replicateSourceDb must be the ARN. */
  instanceArn: z.string().startsWith("arn:"),
  instanceIdentifier: name,
  /** Host name of the primary (writer). */
  endpoint: name,
  /** Host name of the in-region read replica, when there is one. */
  readerEndpoint: name.optional(),
  port: z.number().int().positive(),
  databaseName: name,
  /** False on a DR replica before promotion (read only). */
  writable: z.boolean(),
  /**
   * Kubernetes Secret (in kubernetes.namespace) with the application's credentials (PG* keys).
   * Absent where the instance is a read replica (DR before promotion).
   */
  appCredentialsSecret: name.optional(),
});

/** The region's cache (components/redis), for application stacks. Optional (additive, v1). */
export const redisOutputsSchema = z.strictObject({
  /** host:port of the Sentinel service clients ask for the master. */
  sentinelAddress: name,
  masterGroup: name,
  /** Kubernetes Secret holding the Redis password (key "password"). */
  authSecret: name,
});

export const stackOutputsSchema = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  role: z.enum(ROLES),
  /**
   * A DR stack that took over (seed 16.3 region_failover, config vega-ha:promoted). Optional
   * (added to contract v1): a stack deployed before it exports none, read as false. A DR stack
   * may follow a promoted DR stack (failback: the old primary region re-protects the new one).
   */
  promoted: z.boolean().optional(),
  environment: name,
  region: name,
  backup: backupOutputsSchema,
  observability: observabilityOutputsSchema,
  edge: edgeOutputsSchema,
  opensearch: opensearchOutputsSchema.optional(),
  postgres: postgresOutputsSchema.optional(),
  redis: redisOutputsSchema.optional(),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;

/**
 * Whether a DR stack may follow the stack these outputs come from: a primary, or a DR stack that
 * took over (promoted: failback re-protects it from the old primary region). Undefined when it
 * may, else why not, naming the contract fields.
 */
export function leaderProblem(
  outputs: Pick<StackOutputs, "role" | "promoted">,
): string | undefined {
  if (outputs.role === "primary") return undefined;
  if (outputs.promoted === true) return undefined;
  return `has role ${outputs.role} and is not promoted (contract field promoted: ${outputs.promoted ?? "absent"}): a DR stack follows the primary, or a DR stack that took over (vega-ha:promoted true there, seed 16.3); point vega-ha:primaryStack at the stack that takes writes`;
}

/**
 * Parses, on the DR side, the outputs of the stack it follows (the primary, or a promoted DR
 * stack during failback); the error names every field that is off.
 */
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
  const problem = leaderProblem(parsed.data);
  if (problem) throw new Error(`stack ${stack} ${problem}`);
  return parsed.data;
}

/**
 * A section the primary exports only since a later release; a missing one is told plainly,
 * naming the field, instead of failing somewhere downstream.
 */
export function requirePrimarySection<K extends "postgres" | "redis">(
  outputs: StackOutputs,
  section: K,
): NonNullable<StackOutputs[K]> {
  const value = outputs[section];
  if (value === undefined)
    throw new Error(
      `the primary stack's outputs have no "${section}" section (contract v${CONTRACT_VERSION}): deploy (pulumi up) the primary stack first`,
    );
  return value as NonNullable<StackOutputs[K]>;
}

/** What an application stack needs to reach the region's stores, built from the contract. */
export interface ApplicationConnections {
  postgres: {
    host: string;
    port: number;
    database: string;
    /** rds.force_ssl refuses anything weaker. */
    sslmode: "require";
    /** Kubernetes Secret with PGUSER/PGPASSWORD (and the rest of the PG* keys), for envFrom. */
    credentialsSecret: string;
  };
  redis: { sentinelAddress: string; masterGroup: string; authSecret: string };
}

/**
 * For application stacks: parse a Vega stack's outputs (read with a StackReference) with the
 * exported schema and get connection settings, or an error naming what the stack lacks.
 */
export function applicationConnections(
  outputs: Record<string, unknown>,
  stack: string,
): ApplicationConnections {
  const parsed = stackOutputsSchema.safeParse(outputs);
  if (!parsed.success)
    throw new Error(
      `outputs of ${stack} do not follow contract v${CONTRACT_VERSION}: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  const postgres = requirePrimarySection(parsed.data, "postgres");
  const redis = requirePrimarySection(parsed.data, "redis");
  if (!postgres.writable || postgres.appCredentialsSecret === undefined)
    throw new Error(
      `${stack}'s database is a read replica (DR before promotion): connect to the primary stack`,
    );
  return {
    postgres: {
      host: postgres.endpoint,
      port: postgres.port,
      database: postgres.databaseName,
      sslmode: "require",
      credentialsSecret: postgres.appCredentialsSecret,
    },
    redis,
  };
}

/** The contract as a program builds it: every leaf may still be an output. */
export type Deferred<T> = {
  [K in keyof T]: T[K] extends Record<string, unknown>
    ? Deferred<T[K]>
    : import("@pulumi/pulumi").Input<T[K]>;
};
export type StackOutputsInput = Deferred<StackOutputs>;
