#!/usr/bin/env bash
# alternating: a (expression index over data, default fillfactor: as mt_doc_invitation today) and b (the due time as its own
# indexed column, fillfactor 70); each pass rewrites every row twice in statements of 500 rows; CPU of the session's backend
cd /tmp/dprof/hotpg
for round in 1 2; do
  for t in a b b a; do
    h0=$(psql -h 127.0.0.1 -p 55432 -U postgres -tA -c "select n_tup_hot_upd||'/'||n_tup_upd from pg_stat_user_tables where relname='$t'")
    out=$(mktemp)
    ( echo "select 'PID '||pg_backend_pid();"; cat round_$t.sql; echo "\\echo DONE"; echo "select pg_sleep(3);" ) | psql -h 127.0.0.1 -p 55432 -U postgres -q -tA > "$out" 2>&1 &
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
