#!/bin/sh
# Restore a dump written by deploy/backup.sh into a database, in one transaction: either the
# whole dump is restored or the database is left as it was.
#   deploy/restore.sh --yes /var/backups/kinerja/kinerja-20260101T013000Z.dump [DATABASE_URL]
# The target (DATABASE_URL by default) must exist; its Kinerja tables are dropped and
# replaced. Stop the web and worker units first (systemctl stop kinerja-web 'kinerja-worker@*'),
# restore, then run the deploy step (flask kinerja init) and start them again.
set -eu

if [ "${1:-}" != "--yes" ]; then
    echo "usage: $0 --yes DUMP [DATABASE_URL]  (replaces the target database's tables)" >&2
    exit 2
fi
dump="${2:?the dump file to restore}"
url="${3:-${DATABASE_URL:?DATABASE_URL or a third argument must name the target database}}"
url="$(printf '%s' "$url" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#' -e 's#^postgres://#postgresql://#')"
[ -r "$dump" ] || { echo "cannot read $dump" >&2; exit 1; }

pg_restore --list "$dump" >/dev/null   # a truncated or foreign file fails here, before any change
# The public schema is dropped and rebuilt from the dump in one transaction (pg_restore
# --clean cannot drop a partitioned table's inherited constraints). Should reading the dump
# fail half-way, the statement appended makes psql roll everything back.
abort="DO \$\$ BEGIN RAISE EXCEPTION 'the dump could not be read: nothing was changed'; END \$\$;"
{
    echo "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"
    pg_restore --no-owner --no-privileges --file=- "$dump" || echo "$abort"
} | sed '/^CREATE SCHEMA public;$/d' \
  | psql --quiet --no-psqlrc --single-transaction --set=ON_ERROR_STOP=1 \
      --output=/dev/null --dbname="$url"
echo "restored $dump"
