#!/usr/bin/env bash
# Backup and restore timings for one seeded database, next to the plain tools on the same data:
# SQLite `.backup` + gzip, PostgreSQL `pg_dump -Fc` (and `pg_restore`). Sourced by bench.sh,
# which defines BIN, WORK and PG_ADMIN.

secs() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }

db_bytes() {
  local engine=$1 db_url=$2
  if [ "$engine" = postgres ]; then
    psql -Atq "$db_url" -c "select pg_database_size(current_database())"
  else
    stat -c %s "${db_url#sqlite:}"
  fi
}

bench_backup() {
  local engine=$1 db_url=$2
  local dir="$WORK/backups-$engine" bytes ours restore plain plain_restore file
  rm -rf "$dir" && mkdir -p "$dir"
  bytes=$(db_bytes "$engine" "$db_url")
  ours=$(secs env DATABASE_URL="$db_url" BACKROOM_BACKUP_DIR="$dir" RUST_LOG=error "$BIN" backup create)
  file=$(ls "$dir"/*.db.zst | head -1)
  restore=$(secs env DATABASE_URL="$db_url" BACKROOM_BACKUP_DIR="$dir" RUST_LOG=error "$BIN" backup restore "$file" --yes)
  if [ "$engine" = postgres ]; then
    plain=$(secs pg_dump -Fc -f "$WORK/plain.dump" "$db_url")
    psql -q "$PG_ADMIN" -c "drop database if exists backroom_bench_plain" -c "create database backroom_bench_plain"
    plain_restore=$(secs pg_restore -d "${PG_ADMIN%/*}/backroom_bench_plain" "$WORK/plain.dump")
    psql -q "$PG_ADMIN" -c "drop database if exists backroom_bench_plain"
    plain_size=$(stat -c %s "$WORK/plain.dump")
    plain_name="pg_dump -Fc / pg_restore"
  else
    plain=$(secs sh -c "sqlite3 '${db_url#sqlite:}' '.backup $WORK/plain.db' && gzip -f '$WORK/plain.db'")
    plain_restore=$(secs sh -c "gunzip -c '$WORK/plain.db.gz' > '$WORK/restored.db'")
    plain_size=$(stat -c %s "$WORK/plain.db.gz")
    plain_name="sqlite3 .backup + gzip / gunzip"
    rm -f "$WORK/plain.db.gz" "$WORK/restored.db"
  fi
  echo "database: $((bytes / 1000000)) MB; backup file $(( $(stat -c %s "$file") / 1000000 )) MB (plain tool: $((plain_size / 1000000)) MB)"
  printf "%-34s %8s s %8.1f MB/s\n" "Backroom backup (verified)" "$ours" "$(echo "$bytes / 1000000 / $ours" | bc -l)"
  printf "%-34s %8s s %8.1f MB/s\n" "Backroom restore (proven)" "$restore" "$(echo "$bytes / 1000000 / $restore" | bc -l)"
  printf "%-34s %8s s / %s s\n" "$plain_name" "$plain" "$plain_restore"
  printf "backup time ratio: %.2f x the plain tool (target <= 1.3)\n" "$(echo "$ours / $plain" | bc -l)"
  if [ "$engine" = postgres ]; then
    printf "restore time ratio: %.2f x pg_restore (target <= 1.5)\n" "$(echo "$restore / $plain_restore" | bc -l)"
  fi
}
