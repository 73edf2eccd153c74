#!/usr/bin/env bash
# Shared by backup.sh, restore.sh and validate.sh: logging and the table statistics the
# manifest records (row count and an order-independent checksum per table).
# Connection: libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE).

SCRIPT_NAME=$(basename "${0}" .sh)
# shellcheck disable=SC2034 # read by the scripts that source this file
MANIFEST_HEADER="# vega metadata logical backup manifest v1"

log() {
  printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${SCRIPT_NAME}" "$*" >&2
}

# One clear line, then a non-zero exit.
die() {
  log "FAILED: $*"
  exit 1
}

# psql that stops at the first error and prints bare, tab-separated rows.
psql_rows() {
  psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 "$@"
}

# The statistics SQL: for every ordinary table outside the system schemas, its qualified name,
# row count and the sum of a 64-bit hash of each row's text (order independent, no sort).
# hashtextextended is PostgreSQL's hash-partitioning hash: stable across platforms and
# versions (hash partitions depend on it), and about 2.5 times cheaper than md5 here.
# $1: a statement run first inside the transaction (e.g. SET TRANSACTION SNAPSHOT), or empty.
table_stats_sql() {
  cat <<SQL
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
${1}
SELECT format(
  'SELECT %L, count(*), coalesce(sum(hashtextextended(r::text, 0)), 0) FROM %I.%I AS r',
  schemaname || '.' || tablename, schemaname, tablename)
FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg\_%'
ORDER BY schemaname, tablename
\gexec
COMMIT;
SQL
}

# Prints "table<TAB>name<TAB>rows<TAB>checksum" lines for database $1.
# $2 (optional): a snapshot id exported by another session, so the figures match a pg_dump.
table_stats() {
  local db=$1 snapshot=${2:-}
  local first=""
  if [[ -n "${snapshot}" ]]; then first="SET TRANSACTION SNAPSHOT '${snapshot}';"; fi
  table_stats_sql "${first}" | psql_rows -d "${db}" -f - | sed 's/^/table\t/'
}

# The value of a "key<TAB>value" line of a manifest.
manifest_value() {
  local manifest=$1 key=$2
  awk -F '\t' -v k="${key}" '$1 == k { print $2; exit }' "${manifest}"
}

# A dump's sha256, hex.
sha256_of() {
  sha256sum "$1" | cut -d ' ' -f 1
}
