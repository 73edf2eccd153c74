/** Default tags on every AWS resource of a stack (set once on its provider). */
export interface DefaultTagsArgs {
  environment: string;
  stack: string;
  region: string;
  extra?: Record<string, string>;
}

export function defaultTags(args: DefaultTagsArgs): Record<string, string> {
  return {
    ...args.extra,
    service: "vega",
    environment: args.environment,
    stack: args.stack,
    region: args.region,
    "managed-by": "pulumi",
  };
}
