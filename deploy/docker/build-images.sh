#!/usr/bin/env bash
# Builds the four service images (needs Docker with BuildKit). Usage:
#   deploy/docker/build-images.sh [tag]          # default tag: dev
#   REGISTRY=registry.example.com/backlog-mcp deploy/docker/build-images.sh 0.1.0
set -euo pipefail
cd "$(dirname "$0")/../.."
tag="${1:-dev}"
registry="${REGISTRY:-ghcr.io/backlog-mcp}"
for service in mcp-service auth-service backlog-service audit-service; do
  echo "building ${registry}/${service}:${tag}"
  DOCKER_BUILDKIT=1 docker build -f deploy/docker/Dockerfile --build-arg SERVICE="${service}" \
    -t "${registry}/${service}:${tag}" .
done
