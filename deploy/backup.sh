#!/bin/sh
# Back up the Kinerja database: one custom-format pg_dump per run, kept KINERJA_BACKUP_KEEP_DAYS
# days (default 14), written under another name and renamed when whole (never half a dump).
# Run nightly by systemd/kinerja-backup.timer or the compose "backup" service.
#   DATABASE_URL=postgresql://user:pass@host/kinerja KINERJA_BACKUP_DIR=/var/backups/kinerja deploy/backup.sh
# Prints the path of the dump written. Evidence files are not in the database: back up the
# storage volume (KINERJA_STORAGE_DIR) or bucket alongside (docs/deploy.md).
set -eu

url="${DATABASE_URL:?DATABASE_URL must name the database to back up}"
url="$(printf '%s' "$url" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#' -e 's#^postgres://#postgresql://#')"
dir="${KINERJA_BACKUP_DIR:-/var/backups/kinerja}"
keep="${KINERJA_BACKUP_KEEP_DAYS:-14}"

mkdir -p "$dir"
umask 077
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$dir/kinerja-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$target.part" "$url"
mv "$target.part" "$target"
find "$dir" -maxdepth 1 -name 'kinerja-*.dump' -type f -mtime +"$keep" -delete
echo "$target"
