#!/usr/bin/env bash
# Daily logical backup of the metadata database (seed 16.2: pg_dump, daily, kept 30 days).
#
#   backup.sh DATABASE
#
# Writes DATE.dump (pg_dump custom format) and DATE.manifest (row counts and checksums of
# every table, taken in the dump's own snapshot, and the dump's sha256) into BACKUP_DEST, a
# local directory (in the CronJob: the pod's outbox, which upload.sh publishes to S3).
# Write, verify, then move into place: the manifest lands last, so a DATE.manifest beside a
# DATE.dump always describes a complete, readable dump. Any failure: one FAILED line, exit 1.
#
# Environment: BACKUP_DEST (required), BACKUP_DATE (default: today, UTC), libpq's PG* variables.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 ]] || die "usage: backup.sh DATABASE"
db=$1
dest=${BACKUP_DEST:?BACKUP_DEST must name the destination directory}
date=${BACKUP_DATE:-$(date -u +%F)}
[[ -d "${dest}" ]] || die "destination ${dest} is not a directory"

staging=$(mktemp -d "${dest}/.incoming-${date}-XXXXXX")
snapshot_in="${staging}/.snapshot-in"
snapshot_out="${staging}/.snapshot-out"
holder=""
cleanup() {
  local status=$?
  if [[ -n "${holder}" ]]; then
    exec {holder_in}>&- 2>/dev/null || true
    wait "${holder}" 2>/dev/null || true
  fi
  rm -rf "${staging}"
  if [[ ${status} -ne 0 ]]; then log "FAILED: no backup for ${date} was published (exit ${status})"; fi
}
trap cleanup EXIT

# Hold a read-only transaction open and export its snapshot: pg_dump and the table statistics
# both read that same snapshot, so the manifest describes exactly what the dump holds.
mkfifo "${snapshot_in}" "${snapshot_out}"
psql -X -q -A -t -v ON_ERROR_STOP=1 -d "${db}" -f - <"${snapshot_in}" >"${snapshot_out}" &
holder=$!
exec {holder_in}>"${snapshot_in}"
printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" "SELECT pg_export_snapshot();" >&"${holder_in}"
read -r snapshot <"${snapshot_out}" || die "could not export a snapshot from ${db}"
[[ "${snapshot}" =~ ^[0-9A-F-]+$ ]] || die "unexpected snapshot id '${snapshot}' from ${db}"

log "dumping ${db} (snapshot ${snapshot}) to ${dest}/${date}.dump"
# The statistics run beside the dump, in the same snapshot.
table_stats "${db}" "${snapshot}" >"${staging}/tables.tsv" &
stats=$!
pg_dump --format=custom --compress=6 --snapshot="${snapshot}" --no-password \
  --file="${staging}/${date}.dump" "${db}" || die "pg_dump of ${db} failed"
wait "${stats}" || die "table statistics of ${db} failed"

printf 'COMMIT;\n' >&"${holder_in}"
exec {holder_in}>&-
wait "${holder}" || die "the snapshot session of ${db} failed"
holder=""

# Verify: the archive's table of contents reads back and lists every table of the manifest.
# (Its data is checked where it matters, at restore: sha256 first, then pg_restore.)
toc=$(pg_restore --list "${staging}/${date}.dump") || die "the new dump does not read back"
while IFS=$'\t' read -r _ table _; do
  grep -q "TABLE DATA ${table%%.*} ${table#*.} " <<<"${toc}" || die "the new dump lacks the data of ${table}"
done <"${staging}/tables.tsv"
sum=$(sha256_of "${staging}/${date}.dump")
{
  printf '%s\n' "${MANIFEST_HEADER}"
  printf 'format\tcustom\n'
  printf 'database\t%s\n' "${db}"
  printf 'created\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'dump\t%s\n' "${date}.dump"
  printf 'dump_bytes\t%s\n' "$(stat -c %s "${staging}/${date}.dump")"
  printf 'dump_sha256\t%s\n' "${sum}"
  cat "${staging}/tables.tsv"
} >"${staging}/${date}.manifest"

mv -f "${staging}/${date}.dump" "${dest}/${date}.dump"
mv -f "${staging}/${date}.manifest" "${dest}/${date}.manifest"
tables=$(grep -c '^table' "${dest}/${date}.manifest" || true)
log "OK: ${dest}/${date}.dump ($(manifest_value "${dest}/${date}.manifest" dump_bytes) bytes, ${tables} tables, sha256 ${sum})"
