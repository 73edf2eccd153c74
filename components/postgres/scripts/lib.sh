#!/usr/bin/env bash
# Shared by backup.sh, restore.sh and validate.sh: logging and the table statistics the
# manifest records (row count and an order-independent checksum per table).
# Connection: libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE).

SCRIPT_NAME=$(basename "${0}" .sh)
# v2: typed row hash (table_stats_sql). v1 manifests (row text hash) still validate.
# shellcheck disable=SC2034 # read by the scripts that source this file
MANIFEST_HEADER="# vega metadata logical backup manifest v2"
MANIFEST_HEADERS=("${MANIFEST_HEADER}" "# vega metadata logical backup manifest v1")

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

# The manifest format version (1 or 2) of manifest $1; dies on anything else.
manifest_version() {
  local header
  header=$(head -n 1 "$1")
  case "${header}" in
    "${MANIFEST_HEADERS[0]}") echo 2 ;;
    "${MANIFEST_HEADERS[1]}") echo 1 ;;
    *) die "$1 is not a backup manifest" ;;
  esac
}

# The statistics SQL: for every ordinary or partitioned table outside the system schemas, its
# qualified name, row count and the sum of a 64-bit hash of each row (order independent, no sort;
# a lost, added, duplicated or changed row changes the sum).
#
# v2, the row hash: each column is hashed on its own, seeded with its position, the column
# hashes are XORed and the result mixed by hashint8extended (XOR is linear: without the mix, the
# sum would not see values swapped between rows). Columns whose equality is identity of the
# stored value are hashed as they are, by the hash functions of their hash opclasses: integers,
# oid, uuid, timestamp, timestamptz (as its UTC timestamp), text and varchar (under COLLATE "C",
# i.e. their bytes). Every other column is hashed through its text form (numeric, floats, jsonb,
# intervals, enums, arrays, domains...: there "equal" can hide a different value, 1.0 = 1.00 or
# '1 day' = '24 hours', or the hash depends on OIDs, as an enum's: postgres commit 012ffb3, "Fix
# pg_dump for hash partitioning on enum columns"). A NULL hashes to its column's position. A
# position counts live columns only: a dropped column leaves a gap in attnum that the restored
# table does not have. These are the hash functions hash partitioning uses, so a dump and
# reload must reproduce them; they are the same on x86-64 and arm64 (both little-endian). Two to
# three times cheaper than hashing the row's text (v1) for integer and text columns: their text
# forms, and the record's quoting, were most of the cost. The settings that change text forms (TimeZone, DateStyle, ...) are
# pinned, so the figures do not depend on the client's.
# v1 (older manifests): hashtextextended(row::text, 0).
# $1: a statement run first inside the transaction (e.g. SET TRANSACTION SNAPSHOT), or empty.
# $2: the manifest version, 2 (default) or 1.
table_stats_sql() {
  # shellcheck disable=SC2016 # %2$s is a format() placeholder, not a shell expansion
  local row_hash='hashint8extended(%2$s, 0)'
  local settings="SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1;
SET LOCAL bytea_output = 'hex';"
  if [[ "${2:-2}" == 1 ]]; then
    row_hash='hashtextextended(r::text, 0)'
    settings=""
  fi
  cat <<SQL
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
${1}
${settings}
SELECT format(
  'SELECT %1\$L, count(*), coalesce(sum(${row_hash}), 0) FROM %3\$I.%4\$I AS r',
  n.nspname || '.' || c.relname,
  coalesce(string_agg(format('coalesce(%s, %s)', format(CASE a.atttypid
      WHEN 'int2'::regtype THEN 'hashint2extended(r.%I, %s)'
      WHEN 'int4'::regtype THEN 'hashint4extended(r.%I, %s)'
      WHEN 'int8'::regtype THEN 'hashint8extended(r.%I, %s)'
      WHEN 'oid'::regtype THEN 'hashoidextended(r.%I, %s)'
      WHEN 'uuid'::regtype THEN 'uuid_hash_extended(r.%I, %s)'
      WHEN 'timestamp'::regtype THEN 'timestamp_hash_extended(r.%I, %s)'
      WHEN 'timestamptz'::regtype THEN 'timestamp_hash_extended(r.%I AT TIME ZONE ''UTC'', %s)'
      WHEN 'text'::regtype THEN 'hashtextextended(r.%I COLLATE "C", %s)'
      WHEN 'varchar'::regtype THEN 'hashtextextended(r.%I COLLATE "C", %s)'
      ELSE 'hashtextextended(r.%I::text COLLATE "C", %s)' END, a.attname, a.position), a.position),
    ' # ' ORDER BY a.position) FILTER (WHERE a.position IS NOT NULL), '0'),
  n.nspname, c.relname)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
-- position: the column's place among the live ones (a dropped column leaves a gap in attnum
-- that a restored table does not have).
LEFT JOIN (
  SELECT attrelid, attname, atttypid, row_number() OVER (PARTITION BY attrelid ORDER BY attnum) AS position
  FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped
) a ON a.attrelid = c.oid
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
GROUP BY n.nspname, c.relname
ORDER BY n.nspname, c.relname
\gexec
COMMIT;
SQL
}

# Prints "table<TAB>name<TAB>rows<TAB>checksum" lines for database $1.
# $2 (optional): a snapshot id exported by another session, so the figures match a pg_dump.
# $3 (optional): the manifest version to compute (default 2).
table_stats() {
  local db=$1 snapshot=${2:-} version=${3:-2}
  local first=""
  # Beside pg_dump (a snapshot given), parallel workers would only take CPU from the dump.
  if [[ -n "${snapshot}" ]]; then
    first="SET TRANSACTION SNAPSHOT '${snapshot}'; SET LOCAL max_parallel_workers_per_gather = 0;"
  fi
  table_stats_sql "${first}" "${version}" | psql_rows -d "${db}" -f - | sed 's/^/table\t/'
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
