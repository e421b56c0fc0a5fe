#!/usr/bin/env bash
# alternating: a (expression index over data, default fillfactor: as mt_doc_invitation today) and b (the due time as its own
# indexed column, fillfactor 70); each pass rewrites every row twice in statements of 500 rows; CPU of the session's backend
cd "$(dirname "$0")"
# after setup.sql: psql -h 127.0.0.1 -p 55432 -U postgres -f setup.sql (the id list is made here once)
psql -h 127.0.0.1 -p 55432 -U postgres -q -c "create table if not exists ids as select row_number() over (order by id) as n, id from a; create index if not exists ids_n on ids (n); analyze ids;"
for t in a b; do
  for p in 0 1; do for k in $(seq 0 500 61500); do
    echo "update $t set data = jsonb_set($t.data, '{status}', to_jsonb('s$p$k'::text)), mt_version = $t.mt_version + 1, mt_last_modified = transaction_timestamp() from ids i where i.n > $k and i.n <= $((k + 500)) and $t.tenant_id = 'default' and $t.id = i.id;"
  done; done > "/tmp/round_$t.sql"
done
for round in 1 2; do
  for t in a b b a; do
    h0=$(psql -h 127.0.0.1 -p 55432 -U postgres -tA -c "select n_tup_hot_upd||'/'||n_tup_upd from pg_stat_user_tables where relname='$t'")
    out=$(mktemp)
    ( echo "select 'PID '||pg_backend_pid();"; cat "/tmp/round_$t.sql"; echo "\\echo DONE"; echo "select pg_sleep(3);" ) | psql -h 127.0.0.1 -p 55432 -U postgres -q -tA > "$out" 2>&1 &
    s=$(date +%s.%N)
    while ! grep -q DONE "$out"; do sleep 0.05; done
    e=$(date +%s.%N)
    pid=$(grep -oP 'PID \K[0-9]+' "$out")
    ticks=$(awk '{print $14+$15}' /proc/$pid/stat)
    wait
    h1=$(psql -h 127.0.0.1 -p 55432 -U postgres -tA -c "select n_tup_hot_upd||'/'||n_tup_upd from pg_stat_user_tables where relname='$t'")
    echo "$t: wall $(printf %.2f $(echo "$e - $s" | bc)) s, backend CPU $(echo "scale=2; $ticks/100" | bc) s for 124,000 rewrites; HOT/updates $h0 -> $h1"
    rm -f "$out"
  done
done
rm -f /tmp/round_a.sql /tmp/round_b.sql
