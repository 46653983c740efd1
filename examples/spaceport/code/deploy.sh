#!/usr/bin/env bash
# Builds the ML pipeline's containers and pushes them to ECR.
#
#   ./deploy.sh                 build and push sfm, 3dgs and compressor
#   ./deploy.sh sfm             just one
#   DRY_RUN=1 ./deploy.sh       build only
#
# Every build is pushed twice: with a timestamp tag (YYYYMMDD-HHMMSS, the build's start, UTC) to
# roll back to, and as `latest`. Production pins its tags in start_ml_job/lambda_function.py; moving
# the SfM image to production is a separate, manual step (retag to real-colmap-fixed-final).
set -euo pipefail

AWS_REGION="${AWS_REGION:-us-east-1}"
AWS_ACCOUNT_ID="${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}"
ECR_REGISTRY="${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com"
CONTAINERS_DIR="$(cd "$(dirname "$0")" && pwd)/containers"
ALL_CONTAINERS=(sfm 3dgs compressor)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
  done
}

login() {
  log "logging in to $ECR_REGISTRY"
  aws ecr get-login-password --region "$AWS_REGION" |
    docker login --username AWS --password-stdin "$ECR_REGISTRY" >/dev/null
}

ensure_repository() {
  local repository="$1"
  if ! aws ecr describe-repositories --region "$AWS_REGION" --repository-names "$repository" >/dev/null 2>&1; then
    log "creating repository $repository"
    aws ecr create-repository --region "$AWS_REGION" --repository-name "$repository" \
      --image-scanning-configuration scanOnPush=true >/dev/null
  fi
}

selected_containers() {
  if [[ $# -eq 0 ]]; then
    printf '%s\n' "${ALL_CONTAINERS[@]}"
    return
  fi
  for name in "$@"; do
    [[ " ${ALL_CONTAINERS[*]} " == *" $name "* ]] || die "unknown container '$name' (one of: ${ALL_CONTAINERS[*]})"
    printf '%s\n' "$name"
  done
}

build_and_push() {
  local name="$1"
  local repository="spaceport/${name}"
  local context="${CONTAINERS_DIR}/${name}"
  [[ -f "${context}/Dockerfile" ]] || die "no Dockerfile in ${context}"

  # The timestamp tag names the build's start, so a tag sorts like the builds it names.
  local tag
  tag="$(date -u +%Y%m%d-%H%M%S)"
  log "building ${repository}:${tag}"
  docker build --platform linux/amd64 -t "${repository}:${tag}" "$context"

  if [[ -n "${DRY_RUN:-}" ]]; then
    log "DRY_RUN: not pushing ${repository}:${tag}"
    return
  fi
  ensure_repository "$repository"
  for push_tag in "$tag" latest; do
    docker tag "${repository}:${tag}" "${ECR_REGISTRY}/${repository}:${push_tag}"
    docker push "${ECR_REGISTRY}/${repository}:${push_tag}"
  done
  log "pushed ${repository}:${tag} (and latest)"
}

main() {
  [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && usage
  require aws docker
  [[ -n "${DRY_RUN:-}" ]] || login
  local name
  while read -r name; do
    build_and_push "$name"
  done < <(selected_containers "$@")
}

main "$@"
