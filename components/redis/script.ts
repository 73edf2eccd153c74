/**
 * The start-up and probe script (`vega-redis.sh`), rendered from the topology. The same text runs
 * in the pods (POSIX sh of the official redis image) and in the local failover drill: everything
 * that differs per process (which node it is, where its config goes, the password) comes from the
 * environment, everything shared (group, hosts, ports, timings) is rendered in.
 */
import { addr, type HostPort, type RedisSettings, type RedisTopology } from "./conf";

/** File name of the script in the ConfigMap and in the drill's directory. */
export const SCRIPT_NAME = "vega-redis.sh";

/** The script's commands: one per container role and probe. */
export const SCRIPT_COMMANDS = [
  "start-redis",
  "start-sentinel",
  "ready-redis",
  "ready-sentinel",
  "alive-redis",
  "alive-sentinel",
] as const;
export type ScriptCommand = (typeof SCRIPT_COMMANDS)[number];

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function checked(kind: string, list: HostPort[]): string {
  if (list.length === 0) throw new Error(`renderStartScript: no ${kind}`);
  for (const hp of list) {
    if (!HOST.test(hp.host))
      throw new Error(
        `renderStartScript: ${kind} host ${JSON.stringify(hp.host)} is not a host name`,
      );
    if (!Number.isInteger(hp.port) || hp.port < 1 || hp.port > 65535)
      throw new Error(`renderStartScript: ${kind} port ${hp.port} is not a port`);
  }
  return list.map(addr).join(" ");
}

/**
 * Seconds a restarted node that the Sentinels still name master waits for the failover it asked
 * for: the failover timeout, which bounds a failover.
 */
export const handoverWaitSeconds = (s: Pick<RedisSettings, "sentinel">) =>
  Math.ceil(s.sentinel.failoverTimeoutMs / 1000);

export function renderStartScript(
  topology: RedisTopology,
  s: Pick<RedisSettings, "sentinel">,
): string {
  if (!GROUP.test(topology.masterGroup))
    throw new Error(
      `renderStartScript: master group ${JSON.stringify(topology.masterGroup)} is not a plain name`,
    );
  const nodes = checked("Redis node", topology.nodes);
  const sentinels = checked("Sentinel", topology.sentinels);
  const usage = `${SCRIPT_NAME} ${SCRIPT_COMMANDS.join("|")}`;
  return `#!/bin/sh
# ${SCRIPT_NAME}: start-up and probes of the Redis group "${topology.masterGroup}", rendered by vega-ha
# (components/redis/script.ts). The pods and the local failover drill run this same text.
#
# Usage: ${usage}
# Environment:
#   REDIS_PASSWORD   required: the password of clients, replicas and Sentinels (from the Secret)
#   NODE_INDEX       this process's ordinal; default: the number ending $HOSTNAME (StatefulSet pod)
#   CONFIG_TEMPLATE  start-*: the rendered config to start from (read-only ConfigMap mount)
#   CONFIG_FILE      start-*: its writable copy (Sentinel and CONFIG REWRITE rewrite it)
set -eu

MASTER_GROUP='${topology.masterGroup}'
QUORUM=${s.sentinel.quorum}
REDIS_NODES='${nodes}'
SENTINEL_NODES='${sentinels}'
HANDOVER_WAIT_SECONDS=${handoverWaitSeconds(s)}
ASK_TIMEOUT_SECONDS=2

MODE="\${1:-}"
: "\${HOSTNAME:=}"
NODE_INDEX="\${NODE_INDEX:-\${HOSTNAME##*-}}"

log() { echo "${SCRIPT_NAME} $MODE #$NODE_INDEX: $*" >&2; }
die() { log "$*"; exit 1; }

# pick N WORD...: the N-th word, counting from 0.
pick() {
  n=$1; shift
  case $n in ''|*[!0-9]*) return 1 ;; esac
  [ "$n" -lt "$#" ] || return 1
  shift "$n"; echo "$1"
}

# ask HOST:PORT COMMAND...: one command, bounded in time; the reply on stdout, \\r stripped.
ask() {
  a=$1; shift
  timeout "$ASK_TIMEOUT_SECONDS" redis-cli --no-auth-warning -h "\${a%:*}" -p "\${a##*:}" "$@" 2>/dev/null | tr -d '\\r'
}

# The master most Sentinels name (this Sentinel left out), as host:port; empty when none knows.
master_from_sentinels() {
  for s in $SENTINEL_NODES; do
    [ "$s" = "$SELF" ] && continue
    set -- $(ask "$s" SENTINEL get-master-addr-by-name "$MASTER_GROUP" || true)
    [ $# -eq 2 ] && echo "$1:$2"
  done | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }'
}

# A node that says it is master (the one with most replicas), for when no Sentinel answers.
master_from_nodes() {
  best=''; best_replicas=-1
  for n in $REDIS_NODES; do
    [ "$n" = "$SELF" ] && continue
    info=$(ask "$n" INFO replication || true)
    case $info in *role:master*) ;; *) continue ;; esac
    replicas=$(echo "$info" | sed -n 's/^connected_slaves://p')
    if [ "\${replicas:-0}" -gt "$best_replicas" ]; then best=$n; best_replicas=\${replicas:-0}; fi
  done
  echo "$best"
}

# This Sentinel's flags for the master, e.g. master,s_down,o_down.
master_flags() {
  ask "$1" SENTINEL MASTER "$MASTER_GROUP" | awk 'previous == "flags" { print; exit } { previous = $0 }'
}

# Whether the node at host:port says it is master.
is_master() {
  case $(ask "$1" INFO replication || true) in *role:master*) return 0 ;; *) return 1 ;; esac
}

# The Sentinels still name this just-restarted node master. Its data may lack writes its
# replicas acknowledged (the AOF syncs once a second; without AOF it is empty), so it never
# resumes as master while a replica could take over. It asks one Sentinel for a failover (always
# the same one, and only while no Sentinel is failing over already, so that two failovers never
# compete) and follows the new master as soon as a Sentinel names it and it says it is master.
hand_over() {
  deadline=$(( $(date +%s) + HANDOVER_WAIT_SECONDS ))
  chosen=''; said=''
  while [ "$(date +%s)" -lt "$deadline" ]; do
    busy=''
    for s in $SENTINEL_NODES; do
      set -- $(ask "$s" SENTINEL get-master-addr-by-name "$MASTER_GROUP" || true)
      if [ $# -eq 2 ] && [ "$1:$2" != "$SELF" ] && is_master "$1:$2"; then echo "$1:$2"; return; fi
      case $(master_flags "$s") in *o_down*|*failover_in_progress*) busy=$s ;; esac
    done
    if [ -n "$busy" ]; then reply="Sentinel $busy is failing over"
    else
      reply=''
      for s in $chosen $SENTINEL_NODES; do
        reply=$(ask "$s" SENTINEL FAILOVER "$MASTER_GROUP" || true)
        case $reply in OK|*INPROG*) chosen=$s; break ;; esac
        [ -n "$chosen" ] && chosen=''
      done
      reply="asked \${chosen:-every Sentinel} for a failover: \${reply:-no answer}"
    fi
    [ "$reply" = "$said" ] || log "$reply"
    said=$reply
    sleep 0.5
  done
  log "no failover within \${HANDOVER_WAIT_SECONDS}s: resuming as master"
  echo "$SELF"
}

# Copies the template to the writable config file and appends the given lines, owner-only.
install_config() {
  : "\${CONFIG_TEMPLATE:?CONFIG_TEMPLATE is required}" "\${CONFIG_FILE:?CONFIG_FILE is required}"
  umask 077
  { cat "$CONFIG_TEMPLATE"; echo; echo "# Added by ${SCRIPT_NAME} $MODE at start"; printf '%s\\n' "$@"; } > "$CONFIG_FILE.new"
  mv "$CONFIG_FILE.new" "$CONFIG_FILE"
}

start_redis() {
  master=$(master_from_sentinels)
  if [ -n "$master" ]; then
    log "Sentinels name $master master"
    [ "$master" = "$SELF" ] && master=$(hand_over)
  else
    master=$(master_from_nodes)
    if [ -n "$master" ]; then log "no Sentinel knows a master; node $master says it is"
    else master=$(pick 0 $REDIS_NODES); log "no Sentinel or node knows a master: cold start, $master is master"; fi
  fi
  set -- "replica-announce-ip \${SELF%:*}" "requirepass \\"$REDIS_PASSWORD\\"" "masterauth \\"$REDIS_PASSWORD\\""
  if [ "$master" = "$SELF" ]; then log "starting as master"
  else set -- "$@" "replicaof \${master%:*} \${master##*:}"; log "starting as replica of $master"; fi
  install_config "$@"
  exec redis-server "$CONFIG_FILE"
}

start_sentinel() {
  master=$(master_from_sentinels)
  [ -n "$master" ] || master=$(master_from_nodes)
  [ -n "$master" ] || master=$(pick 0 $REDIS_NODES)
  log "monitoring $master"
  install_config "sentinel announce-ip \${SELF%:*}" "requirepass \\"$REDIS_PASSWORD\\"" "sentinel auth-pass $MASTER_GROUP $REDIS_PASSWORD"
  sed "s|^sentinel monitor $MASTER_GROUP .*\\$|sentinel monitor $MASTER_GROUP \${master%:*} \${master##*:} $QUORUM|" "$CONFIG_FILE" > "$CONFIG_FILE.new"
  mv "$CONFIG_FILE.new" "$CONFIG_FILE"
  exec redis-sentinel "$CONFIG_FILE"
}

# Probes talk to this process on the loopback interface.
local_addr() { echo "127.0.0.1:\${SELF##*:}"; }

ready_redis() {
  info=$(ask "$(local_addr)" INFO replication) || exit 1
  case $info in
    *role:master*) exit 0 ;;
    *master_link_status:up*) exit 0 ;;
    *) exit 1 ;;
  esac
}

ready_sentinel() {
  set -- $(ask "$(local_addr)" SENTINEL get-master-addr-by-name "$MASTER_GROUP" || true)
  [ $# -eq 2 ]
}

alive() {
  reply=$(ask "$(local_addr)" PING) || exit 1
  [ -n "$reply" ]
}

case "\${REDIS_PASSWORD:-}" in
  ''|*[!A-Za-z0-9]*) die "REDIS_PASSWORD must be set, letters and digits only (it is written into the config)" ;;
esac
export REDISCLI_AUTH="$REDIS_PASSWORD"

case $MODE in
  *-redis) SELF=$(pick "$NODE_INDEX" $REDIS_NODES) || die "NODE_INDEX '$NODE_INDEX' is not a Redis node (0 to $(( $(echo $REDIS_NODES | wc -w) - 1 )))" ;;
  *-sentinel) SELF=$(pick "$NODE_INDEX" $SENTINEL_NODES) || die "NODE_INDEX '$NODE_INDEX' is not a Sentinel (0 to $(( $(echo $SENTINEL_NODES | wc -w) - 1 )))" ;;
  *) die "usage: ${usage}" ;;
esac

case $MODE in
  start-redis) start_redis ;;
  start-sentinel) start_sentinel ;;
  ready-redis) ready_redis ;;
  ready-sentinel) ready_sentinel ;;
  alive-redis|alive-sentinel) alive ;;
esac
`;
}
