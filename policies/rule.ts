/**
 * Every rule is a plain exported constant (awsguard style), so the policy pack, the offline plan
 * and the tests all run the very same objects; only index.ts constructs the PolicyPack.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export type VegaPolicy = ResourceValidationPolicy | StackValidationPolicy;
