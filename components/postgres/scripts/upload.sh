#!/usr/bin/env bash
# Publishes the outbox backup.sh wrote to the vault: s3://BUCKET/PREFIX<date>.{dump,manifest}.
#
#   upload.sh OUTBOX BUCKET PREFIX
#
# Each file goes to PREFIX.incoming/ first with its SHA-256 (S3 checks it on arrival), is
# copied to its final key, checked there, and the temporary object removed. The manifest is
# published after its dump, so a manifest in the vault always has its dump beside it.
# Needs the AWS CLI v2; the pod's IAM role may write under PREFIX only.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 3 ]] || die "usage: upload.sh OUTBOX BUCKET PREFIX"
outbox=$1 bucket=$2 prefix=$3

# S3 wants the SHA-256 as base64 of the raw digest.
base64_sha256() {
  local hex escaped="" i
  hex=$(sha256_of "$1")
  for ((i = 0; i < ${#hex}; i += 2)); do escaped+="\\x${hex:i:2}"; done
  # shellcheck disable=SC2059 # the format is the digest as \x escapes, built on purpose
  printf "${escaped}" | base64
}

publish() {
  local file=$1 name
  name=$(basename "${file}")
  local temporary="${prefix}.incoming/${name}" final="${prefix}${name}" sum
  sum=$(base64_sha256 "${file}")
  aws s3api put-object --bucket "${bucket}" --key "${temporary}" --body "${file}" \
    --checksum-algorithm SHA256 --checksum-sha256 "${sum}" >/dev/null ||
    die "upload of ${name} to s3://${bucket}/${temporary} failed"
  aws s3api copy-object --bucket "${bucket}" --key "${final}" \
    --copy-source "${bucket}/${temporary}" --checksum-algorithm SHA256 >/dev/null ||
    die "copy of ${name} to s3://${bucket}/${final} failed"
  local stored
  stored=$(aws s3api head-object --bucket "${bucket}" --key "${final}" --checksum-mode ENABLED \
    --query ChecksumSHA256 --output text) || die "cannot read back s3://${bucket}/${final}"
  [[ "${stored}" == "${sum}" ]] || die "s3://${bucket}/${final} has SHA-256 ${stored}, expected ${sum}"
  aws s3api delete-object --bucket "${bucket}" --key "${temporary}" >/dev/null ||
    log "could not remove s3://${bucket}/${temporary} (lifecycle expires it)"
}

shopt -s nullglob
manifests=("${outbox}"/*.manifest)
[[ ${#manifests[@]} -gt 0 ]] || die "no manifest in ${outbox}: the backup step produced nothing"
for manifest in "${manifests[@]}"; do
  dump="${outbox}/$(manifest_value "${manifest}" dump)"
  [[ -f "${dump}" ]] || die "${manifest} names a dump that is not in ${outbox}"
  publish "${dump}"
  publish "${manifest}"
  log "OK: s3://${bucket}/${prefix}$(basename "${manifest}" .manifest).{dump,manifest} published"
done
