/** Stack config fixtures: the real primary config file, parsed or altered one key at a time. */
import type { EdgeArgs } from "../../components/edge";
import { ConfigError, parseStackConfig, type ConfigProblem, type StackConfig } from "../../config";
import { stackRawConfig } from "../harness";

export const primaryRaw = () => stackRawConfig("primary");

/** The primary config with `path` (a.b.c) set to `value` (undefined deletes it). */
export function primaryWith(path: string, value: unknown): Record<string, any> {
  const raw = structuredClone(primaryRaw());
  const keys = path.split(".");
  let node = raw;
  for (const k of keys.slice(0, -1)) node = node[k] ??= {};
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return raw;
}

export function parsedPrimary(raw: Record<string, any> = primaryRaw()): StackConfig {
  return parseStackConfig(raw);
}

/** The problems a config is refused with (none when it parses). */
export function problemsOf(raw: Record<string, any>): ConfigProblem[] {
  try {
    parseStackConfig(raw);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

/** The keys a config is refused on. */
export const refusedKeys = (raw: Record<string, any>) => problemsOf(raw).map((p) => p.key);

/** Arguments of an Edge component built from a parsed config, in `region`, behind the gateway. */
export function edgeArgsFor(config: StackConfig, region: string): EdgeArgs {
  return {
    region,
    network: config.platform.network!,
    config: config.edge,
    target: {
      serviceName: "vega-gateway",
      namespace: "vega",
      port: config.gateway.port,
      bindingName: "vega-gateway",
    },
    accessLogBucket: "lb-logs-bucket",
  };
}
