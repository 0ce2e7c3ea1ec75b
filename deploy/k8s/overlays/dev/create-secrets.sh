#!/usr/bin/env bash
# Creates the dev namespace's secrets with fresh random values; nothing secret is stored in git.
# Re-running keeps existing values (so running pods keep agreeing); pass --rotate to replace them,
# then restart the four Deployments together (docs/operations.md, "Rotating SERVICE_TOKEN_SECRET").
set -euo pipefail
ns="${NAMESPACE:-backlog-mcp-dev}"
if kubectl -n "$ns" get secret backlog-mcp-secrets >/dev/null 2>&1 && [ "${1:-}" != "--rotate" ]; then
  echo "secret backlog-mcp-secrets already exists in $ns (use --rotate to replace it)"
  exit 0
fi
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
kubectl -n "$ns" create secret generic backlog-mcp-secrets \
  --from-literal=SERVICE_TOKEN_SECRET="$(openssl rand -base64 48)" \
  --from-literal=ARGS_HASH_SECRET="$(openssl rand -base64 48)" \
  --from-literal=AUTH_KEY_ENCRYPTION_SECRET="$(openssl rand -base64 48)" \
  --dry-run=client -o yaml | kubectl apply -f -
echo "secret backlog-mcp-secrets written to namespace $ns"
