#!/usr/bin/env bash
# Restores a logical backup into a NEW database and validates it against its manifest (seed
# 16.3 metadata_recovery and asset_recovery: restore beside the live data, then switch).
#
#   restore.sh DUMP MANIFEST NEW_DATABASE
#
# Refuses an existing database. Checks the dump's sha256 against the manifest before reading
# it; a failed restore or validation drops the new database, so nothing half-restored is left
# looking usable. Fetch the files first: aws s3 cp s3://<vault>/metadata/daily/<date>.{dump,manifest} .
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 3 ]] || die "usage: restore.sh DUMP MANIFEST NEW_DATABASE"
dump=$1 manifest=$2 db=$3
[[ -r "${dump}" ]] || die "dump ${dump} is not readable"
[[ -r "${manifest}" ]] || die "manifest ${manifest} is not readable"
manifest_version "${manifest}" >/dev/null

want=$(manifest_value "${manifest}" dump_sha256)
[[ -n "${want}" ]] || die "${manifest} has no dump_sha256"
have=$(sha256_of "${dump}")
[[ "${have}" == "${want}" ]] ||
  die "${dump} has sha256 ${have}, the manifest says ${want}: the dump is corrupt or truncated; nothing restored"

exists=$(psql_rows -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'") ||
  die "cannot reach the server"
[[ -z "${exists}" ]] || die "database ${db} exists; restore into a new database"

created=""
cleanup() {
  local status=$?
  if [[ ${status} -ne 0 && -n "${created}" ]]; then
    dropdb --if-exists "${db}" || log "could not drop the partial database ${db}: drop it by hand"
    log "FAILED: ${db} was dropped; nothing was restored"
  fi
}
trap cleanup EXIT

createdb "${db}" || die "cannot create database ${db}"
created=yes
log "restoring ${dump} into ${db}"
pg_restore --exit-on-error --single-transaction --no-password --dbname="${db}" "${dump}" ||
  die "pg_restore of ${dump} into ${db} failed"
"$(dirname "${BASH_SOURCE[0]}")/validate.sh" "${manifest}" "${db}" || die "validation of ${db} failed"
log "OK: ${dump} restored into ${db} and validated"
