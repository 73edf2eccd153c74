/**
 * Kubernetes names of the Redis group and the stable host names they give the pods: a
 * StatefulSet pod `<set>-<n>` behind headless Service `<svc>` is `<set>-<n>.<svc>.<ns>.svc.<domain>`.
 */
import type { RedisConfig } from "../../config";
import type { RedisTopology } from "./conf";

export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
export const EXPORTER_PORT = 9121;

/** Default base name of every Kubernetes object of the group. */
export const DEFAULT_BASE_NAME = "vega-redis";

export interface RedisK8sNames {
  /** Redis StatefulSet (pods `<redis>-<n>`). */
  redis: string;
  redisHeadless: string;
  /** Sentinel StatefulSet (pods `<sentinel>-<n>`) and the clients' Service of the same name. */
  sentinel: string;
  sentinelHeadless: string;
  /** Secret holding the password. */
  auth: string;
  /** Prefix of the rendered files' ConfigMap; its name ends in a hash of its content. */
  config: string;
}

export function redisK8sNames(base: string): RedisK8sNames {
  return {
    redis: base,
    redisHeadless: `${base}-headless`,
    sentinel: `${base}-sentinel`,
    sentinelHeadless: `${base}-sentinel-headless`,
    auth: `${base}-auth`,
    config: `${base}-config`,
  };
}

/**
 * A StatefulSet's pods carry the label controller-revision-hash = `<set>-<10-character hash>`, a
 * label value (at most 63): a longer set name creates no pod at all (kubernetes/kubernetes#64023).
 */
export const MAX_STATEFULSET_NAME = 63 - 11;

/**
 * The names the base makes must be valid where Kubernetes puts them: Services (and so the pods'
 * DNS names) DNS labels of at most 63, the StatefulSets at most MAX_STATEFULSET_NAME (which keeps
 * a pod's host name `<set>-<ordinal>` under 63 too).
 */
export function baseNameProblem(base: string): string | undefined {
  if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(base))
    return `expected a DNS label (lower-case letters, digits, dashes), got ${JSON.stringify(base)}`;
  const n = redisK8sNames(base);
  const tooLong = [
    ...[n.redisHeadless, n.sentinelHeadless].map((name) => ({ name, max: 63 })),
    ...[n.redis, n.sentinel].map((name) => ({ name, max: MAX_STATEFULSET_NAME })),
  ].filter(({ name, max }) => name.length > max);
  return tooLong.length > 0
    ? `expected a shorter name: ${tooLong.map(({ name, max }) => `${name} has ${name.length} characters, at most ${max}`).join("; ")}`
    : undefined;
}

export interface ClusterPlacement {
  namespace: string;
  clusterDomain: string;
}

/** The group as the pods see it: every member by its stable DNS name. */
export function clusterTopology(
  base: string,
  where: ClusterPlacement,
  settings: Pick<RedisConfig, "masterGroup" | "nodes" | "sentinel">,
): RedisTopology {
  const n = redisK8sNames(base);
  const host = (set: string, svc: string, i: number) =>
    `${set}-${i}.${svc}.${where.namespace}.svc.${where.clusterDomain}`;
  return {
    masterGroup: settings.masterGroup,
    nodes: Array.from({ length: settings.nodes }, (_, i) => ({
      host: host(n.redis, n.redisHeadless, i),
      port: REDIS_PORT,
    })),
    sentinels: Array.from({ length: settings.sentinel.count }, (_, i) => ({
      host: host(n.sentinel, n.sentinelHeadless, i),
      port: SENTINEL_PORT,
    })),
  };
}

/** host:port of the clients' Sentinel Service. */
export function sentinelServiceAddress(base: string, where: ClusterPlacement): string {
  return `${redisK8sNames(base).sentinel}.${where.namespace}.svc.${where.clusterDomain}:${SENTINEL_PORT}`;
}
