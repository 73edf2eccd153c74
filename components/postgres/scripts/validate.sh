#!/usr/bin/env bash
# Checks a database against a backup manifest: every table of the manifest present, with the
# same row count and checksum. Seed 16.3: the "verify data integrity" step of a recovery.
#
#   validate.sh MANIFEST DATABASE
#
# Prints one OK line, or one FAILED line per difference and exits 1.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || die "usage: validate.sh MANIFEST DATABASE"
manifest=$1 db=$2
[[ -r "${manifest}" ]] || die "manifest ${manifest} is not readable"
version=$(manifest_version "${manifest}")

expected=$(grep '^table' "${manifest}" | sort) || die "${manifest} lists no tables"
actual=$(table_stats "${db}" "" "${version}" | sort) || die "cannot read the tables of ${db}"

differences=$(diff <(printf '%s\n' "${expected}") <(printf '%s\n' "${actual}") || true)
if [[ -n "${differences}" ]]; then
  while IFS=$'\t' read -r _ table rows sum; do
    have=$(awk -F '\t' -v t="${table}" '$2 == t { print $3 "\t" $4 }' <<<"${actual}")
    if [[ -z "${have}" ]]; then
      log "FAILED: table ${table} is missing from ${db}"
    elif [[ "${have}" != "${rows}"$'\t'"${sum}" ]]; then
      log "FAILED: table ${table} differs: ${db} has rows/checksum ${have/$'\t'//}, the manifest ${rows}/${sum}"
    fi
  done <<<"${expected}"
  die "${db} does not match ${manifest}: do not use it"
fi
count=$(wc -l <<<"${expected}")
rows=$(awk -F '\t' '{ n += $3 } END { print n }' <<<"${expected}")
log "OK: ${db} matches ${manifest}: ${count} tables, ${rows} rows, checksums equal"
