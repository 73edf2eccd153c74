/**
 * The whole stack config: every key under `vega-ha:` in Pulumi.<stack>.yaml. Each area keeps its
 * section (and its seed defaults) in a file of its own; this file only composes them.
 */
import { z } from "zod";
import { backupSchema } from "./backup";
import { observabilitySchema } from "./observability";
import { edgeSchema } from "./edge";
import { gatewaySchema } from "./gateway";
import { workersSchema } from "./workers";
import { kubernetesSchema, platformSchema } from "./platform";
import { redisSchema } from "./redis";
import { opensearchSchema } from "./opensearch";
import { postgresSchema } from "./postgres";
import { awsRegion, bool, oneOf, slug, stackName, strict } from "./types";

export const ROLES = ["primary", "dr"] as const;
export type Role = (typeof ROLES)[number];

/** AWS tag keys: up to 128 of these characters; the aws: prefix is AWS's own. */
const TAG_KEY = /^(?!aws:)[\w .:/=+@-]{1,128}$/;

export const stackConfigSchema = strict({
  /** `primary` or `dr`. Required; never inferred from the stack's name. */
  role: oneOf(ROLES),
  /** DR only: the DR region has taken over (seed 16.3 region_failover). Default false. */
  promoted: bool().optional(),
  /** Environment name used in names and tags, e.g. prod. Required. */
  environment: slug(12),
  /** The AWS region this stack deploys to. Required. */
  region: awsRegion(),
  /** DR only, required there: the primary stack, read through a StackReference. */
  primaryStack: stackName().optional(),
  /** Protect stateful resources (buckets, keys) against deletion. Default true. */
  protect: bool().default(true),
  /** Extra tags on every AWS resource. Default none. */
  tags: z
    .record(
      z.string().regex(TAG_KEY),
      z.string({ error: () => "expected a string tag value" }),
      // zod reports a key that fails its pattern with the record's error ("Invalid key in
      // record" by default), so the record says what a key must be.
      {
        error: (issue) =>
          issue.code === "invalid_key"
            ? "expected a tag key: 1 to 128 letters, digits, spaces or _.:/=+@-, not starting with aws: (AWS reserves it)"
            : "expected a map of tag keys to string values",
      },
    )
    .default({}),
  platform: platformSchema,
  kubernetes: kubernetesSchema,
  backup: backupSchema,
  observability: observabilitySchema,
  edge: edgeSchema,
  gateway: gatewaySchema,
  workers: workersSchema,
  redis: redisSchema,
  opensearch: opensearchSchema,
  postgres: postgresSchema,
});

/**
 * Rules across top-level keys. Run on the raw input, beside the schema, so they are reported
 * together with every other problem (zod skips refinements of an object whose fields failed).
 */
export function roleProblems(
  raw: Record<string, unknown>,
): { path: string[]; input: unknown; message: string }[] {
  const problems: { path: string[]; input: unknown; message: string }[] = [];
  if (raw.role === "primary") {
    if (raw.promoted !== undefined)
      problems.push({
        path: ["promoted"],
        input: raw.promoted,
        message: "only allowed when role is dr",
      });
    if (raw.primaryStack !== undefined)
      problems.push({
        path: ["primaryStack"],
        input: raw.primaryStack,
        message: "only allowed when role is dr (the primary never reads the DR stack)",
      });
  } else if (raw.role === "dr" && raw.primaryStack === undefined) {
    problems.push({
      path: ["primaryStack"],
      input: undefined,
      message: "required when role is dr: the primary stack to read the outputs contract from",
    });
  }
  return problems;
}

export type StackConfig = z.infer<typeof stackConfigSchema>;
