#!/bin/sh
# After the Temporal server is up: the namespace PR Agent uses, and its search attributes
# (core/contracts.py SEARCH_ATTRIBUTES). Idempotent, so every `docker compose up` may run it.
set -eu
address="${TEMPORAL_ADDRESS:?}"
namespace="${TEMPORAL_NAMESPACE:-default}"

until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  echo "waiting for Temporal at $address"; sleep 2
done

temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1 \
  || temporal operator namespace create --address "$address" --namespace "$namespace" --retention 30d

register() {
  if temporal operator search-attribute list --address "$address" --namespace "$namespace" | grep -qw "$1"; then
    echo "search attribute $1 already registered"
  else
    temporal operator search-attribute create --address "$address" --namespace "$namespace" --name "$1" --type "$2"
  fi
}
register PrAgentRepo Keyword
register PrAgentPr Int
register PrAgentTrigger Keyword
echo "namespace $namespace is ready"
