#!/bin/sh
# Create (or upgrade) Temporal's own schemas in its PostgreSQL: the history store and the SQL
# visibility store (which is what lets custom search attributes work without Elasticsearch).
# Idempotent: `create` tolerates an existing database, update-schema only applies what is missing.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port="${DB_PORT:-5432}"
schema_root=/etc/temporal/schema/postgresql/v12

until nc -z "$POSTGRES_SEEDS" "$port"; do echo "waiting for $POSTGRES_SEEDS:$port"; sleep 1; done

for database in temporal temporal_visibility; do
  case "$database" in
    temporal) versioned="$schema_root/temporal/versioned" ;;
    *) versioned="$schema_root/visibility/versioned" ;;
  esac
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $port -u $POSTGRES_USER --db $database"
  $tool create || echo "database $database already exists"
  $tool setup-schema -v 0.0 || echo "schema of $database already set up"
  $tool update-schema -d "$versioned"
done
echo "Temporal schemas are up to date"
