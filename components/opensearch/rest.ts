import * as pulumi from "@pulumi/pulumi";
import { openSearchRestProvider, type RestKind, type RestSpec } from "./rest-provider";

/** Type token of every REST-managed object: `pulumi-nodejs:dynamic/vega:OpenSearchRest`. */
export const OPENSEARCH_REST_TYPE = "pulumi-nodejs:dynamic/vega:OpenSearchRest";

export interface OpenSearchRestArgs {
  /** What to manage. Required. */
  kind: RestKind;
  /** The domain's endpoint host. Required. */
  endpoint: pulumi.Input<string>;
  /** The domain's region (SigV4 signs for it). Required. */
  region: pulumi.Input<string>;
  /** The object as the REST API takes it (rest-provider.ts). Required. */
  spec: pulumi.Input<RestSpec>;
}

/**
 * One object on an OpenSearch domain managed over its REST API (auto-follow rule, stopped
 * replication, snapshot repository, snapshot management policy), through the one dynamic
 * provider of rest-provider.ts.
 */
export class OpenSearchRest extends pulumi.dynamic.Resource {
  constructor(name: string, args: OpenSearchRestArgs, opts?: pulumi.CustomResourceOptions) {
    super(openSearchRestProvider, name, { ...args }, opts, "vega", "OpenSearchRest");
  }
}
