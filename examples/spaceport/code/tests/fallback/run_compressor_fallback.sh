#!/usr/bin/env bash
# Test fallback: when the SageMaker compression job cannot be started (quota, capacity), compress
# the trained splat locally with the simple SOGS build so the test run still produces an artifact.
# Usage: tests/fallback/run_compressor_fallback.sh s3://bucket/job/3dgs/ s3://bucket/job/compressed/
set -euo pipefail

INPUT_S3="${1:?usage: $0 INPUT_S3_PREFIX OUTPUT_S3_PREFIX}"
OUTPUT_S3="${2:?usage: $0 INPUT_S3_PREFIX OUTPUT_S3_PREFIX}"
ECR_REGISTRY="${ECR_REGISTRY:-123456789012.dkr.ecr.us-east-1.amazonaws.com}"
IMAGE="${ECR_REGISTRY}/spaceport-ml-sogs-compressor:simple"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

aws s3 cp --recursive "$INPUT_S3" "$work/input/"
docker run --rm -v "$work:/work" "$IMAGE" --input /work/input/point_cloud.ply --output /work/output
aws s3 cp --recursive "$work/output/" "$OUTPUT_S3"
echo "fallback compression done: $OUTPUT_S3"
