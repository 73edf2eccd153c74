// Thin on purpose: parse the config (every problem reported before anything is registered),
// build the stack, export the outputs contract (config/contract.ts). The dashboards are built
// above the components from their alert definitions, and handed to the region here.
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { deployStack } from "./components/region";
import { VEGA_DASHBOARDS } from "./dashboards";

const outputs = deployStack(loadStackConfig(pulumi.runtime.allConfig()), VEGA_DASHBOARDS);

export const contractVersion = outputs.contractVersion;
export const role = outputs.role;
export const promoted = outputs.promoted;
export const environment = outputs.environment;
export const region = outputs.region;
export const backup = outputs.backup;
export const observability = outputs.observability;
export const edge = outputs.edge;
export const opensearch = outputs.opensearch;
export const postgres = outputs.postgres;
export const redis = outputs.redis;
