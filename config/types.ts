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

export function integer(min: number, max?: number) {
  const expected = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  const base = z
    .int({ error: () => `expected ${expected}` })
    .min(min, { error: () => `expected ${expected}` });
  return max === undefined ? base : base.max(max, { error: () => `expected ${expected}` });
}

/** A number of seconds (fractions allowed) inside [min, max]. */
export function seconds(min: number, max: number) {
  const expected = `a number of seconds from ${min} to ${max}`;
  return z
    .number({ error: () => `expected ${expected}` })
    .min(min, { error: () => `expected ${expected}` })
    .max(max, { error: () => `expected ${expected}` });
}

/** A percentage threshold, 1 to 100 unless narrowed. */
export function percent(min = 1, max = 100) {
  const expected = `a percentage from ${min} to ${max}`;
  return z
    .number({ error: () => `expected ${expected}` })
    .min(min, { error: () => `expected ${expected}` })
    .max(max, { error: () => `expected ${expected}` });
}

export function bool() {
  return z.boolean({ error: () => "expected true or false" });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: () => `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
  });
}

export function text(what = "a non-empty string") {
  return z.string({ error: () => `expected ${what}` }).min(1, { error: () => `expected ${what}` });
}

export function matching(pattern: RegExp, what: string) {
  return z
    .string({ error: () => `expected ${what}` })
    .regex(pattern, { error: () => `expected ${what}` });
}

export function list<T extends z.ZodType>(item: T, min: number, what: string) {
  return z
    .array(item, { error: () => `expected ${what}` })
    .min(min, { error: () => `expected ${what}` });
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
    new RegExp(`^arn:aws[a-z-]*:${service}:`),
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
  z
    .number({
      error: () => `expected one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      error: () => `expected one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}`,
    });
