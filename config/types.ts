/**
 * Zod building blocks for the stack config. Every leaf carries its own "expected …" message so a
 * bad value is reported as `vega-ha:<key>: expected <what is allowed>, got <value>` (see errors.ts).
 */
import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod";

/** An object that refuses unknown keys: a typo must never fall back to a default silently. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, { error: () => "expected an object" });
}

/** A nested section: parsed through its own defaults when the key is absent. */
export function section<T extends z.ZodRawShape>(shape: T) {
  // Every field of a section has a default, so an absent section parses as `{}`.
  return strict(shape).prefault({} as never);
}

/**
 * Reports a problem a refinement found across fields, on `path` (relative to the refined value)
 * with the value it found there: how every cross-field check of the config speaks.
 */
export function refuse(
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  input: unknown,
  message: string,
): void {
  // Stryker disable next-line StringLiteral: the code is never shown; problemsFromIssues tells only zod's own codes apart
  ctx.addIssue({ code: "custom", path, input, message });
}

/** A number inside [min, max] (`int`: whole numbers only); every refusal says what it expects. */
function inRange(min: number, max: number, what: string, int = false) {
  const expected = () => `expected ${what} from ${min} to ${max}`;
  return (int ? z.int({ error: expected }) : z.number({ error: expected })).min(min).max(max);
}

export const integer = (min: number, max: number) => inRange(min, max, "an integer", true);

/** A number of seconds (fractions allowed) inside [min, max]. */
export const seconds = (min: number, max: number) => inRange(min, max, "a number of seconds");

/** A percentage threshold, 1 to 100 unless narrowed. */
export const percent = (min = 1, max = 100) => inRange(min, max, "a percentage");

/** A number from a fixed set (the only values an AWS API takes); refused as `expected <what>`. */
export function numberIn(values: readonly number[], what: string) {
  return z.number({ error: () => `expected ${what}` }).refine((v) => values.includes(v));
}

export function bool() {
  return z.boolean({ error: () => "expected true or false" });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: () => `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
  });
}

export function text(what: string) {
  return z.string({ error: () => `expected ${what}` }).min(1);
}

export function matching(pattern: RegExp, what: string) {
  return z.string({ error: () => `expected ${what}` }).regex(pattern);
}

export function list<T extends z.ZodType>(item: T, min: number, what: string) {
  return z.array(item, { error: () => `expected ${what}` }).min(min);
}

/**
 * The regions the AWS provider knows: @pulumi/aws's own `Region` enum (what its `region` inputs
 * accept), never a hand-kept copy that would drift from the provider in use.
 */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/** An AWS region the provider knows, such as us-east-1. */
export const awsRegion = () =>
  z
    .string({ error: () => "expected an AWS region such as us-east-1" })
    .refine((r) => AWS_REGIONS.includes(r), {
      error: () => "expected an AWS region such as us-east-1 (one of @pulumi/aws's Region enum)",
    });

/** A DNS-label style slug: lower-case letters, digits and dashes. */
export const slug = (max = 20) =>
  matching(
    new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`),
    `a lower-case name of at most ${max} letters, digits or dashes`,
  );

export const arn = (service: string) =>
  matching(
    new RegExp(`^arn:aws[a-z-]*:${service}:\\S+$`),
    `an ARN of service ${service} (arn:aws:${service}:…)`,
  );

/** Pulumi stack name: `org/project/stack` or `stack`. */
export const stackName = () =>
  matching(
    /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/,
    "a stack name such as acme/vega-ha/primary",
  );

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy rejects any other number). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** Days a CloudWatch log group keeps its events: one of LOG_RETENTION_DAYS. */
export const logRetentionDays = () =>
  numberIn(
    LOG_RETENTION_DAYS,
    `one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}`,
  );
