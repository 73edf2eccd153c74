/**
 * The seed's own figures, read from the repository's copy of the operations chapter, so tests
 * compare defaults against the seed instead of against numbers typed again by hand.
 */
import { seedYaml } from "../harness/seed";

export { seedYaml };

/** Seconds of a seed duration such as "5s", "30min" or "1h". */
export function seedSeconds(text: string): number {
  const m = /^(\d+)(s|min|h)$/.exec(String(text).trim());
  if (!m) throw new Error(`not a seed duration: ${text}`);
  return Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2] as "s" | "min" | "h"];
}

/** Seed 17.2 load_balancer with durations in seconds. */
export function seedLoadBalancer() {
  const lb = seedYaml("17.2").load_balancer;
  return {
    algorithm: lb.algorithm as string,
    path: lb.health_check.path as string,
    intervalSeconds: seedSeconds(lb.health_check.interval),
    timeoutSeconds: seedSeconds(lb.health_check.timeout),
    healthyThreshold: lb.health_check.healthy_threshold as number,
    unhealthyThreshold: lb.health_check.unhealthy_threshold as number,
    stickySession: lb.sticky_session.enabled as boolean,
    backends: lb.backends as { address: string; weight: number }[],
    port: Number(String(lb.backends[0].address).split(":")[1]),
  };
}
