#!/usr/bin/env bash
# The due table's claim and delete in SQL alone, on a throwaway cluster (autovacuum off, pg_stat_statements on), with and without
# invitations waiting for a later time: what each claim reads (shared buffers, from pg_stat_statements, which the machine's load
# does not change), the claim's plan early and late in a run, and what one VACUUM of the table costs after the waiting rows
# were added in one go. Mirrors the dispatch bench: DUE rows scheduled 30 days ahead, WAITING rows 60-90 days ahead inserted
# in one statement and analyzed, the DUE rows then moved to "now", then claimed 500 at a time and deleted, as the dispatcher does.
#   bench/dispatch/claim-plan.sh [--due 100000] [--waiting 1000000] [--ddl current|fillfactor]
set -euo pipefail
due=100000 waiting=1000000 ddl=current
while [[ $# -gt 0 ]]; do
  case "$1" in
    --due) due=$2; shift 2 ;;
    --waiting) waiting=$2; shift 2 ;;
    --ddl) ddl=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/claim-plan.XXXXXX)
chmod 755 "$dir"
as=()
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; as=(runuser -u postgres --); fi
"${as[@]}" "$bin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/pg_ctl" start -D "$dir/pg" -w -l "$dir/pg.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c autovacuum=off -c shared_preload_libraries=pg_stat_statements" >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" stop -D "$dir/pg" -m fast -w >/dev/null; rm -rf "$dir"' EXIT
psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -c "create extension pg_stat_statements"

case "$ddl" in
  # as DueInvitations.EnsureTable creates it before this change
  current) table="create table due (invitation_id uuid primary key, tenant_id text not null, due_at timestamptz not null, claimed_until timestamptz null);
                  create index due_at on due (due_at);" ;;
  # free space on every page, so the claim's update of claimed_until (an unindexed column) stays on its page without new index entries (HOT)
  fillfactor) table="create table due (invitation_id uuid primary key, tenant_id text not null, due_at timestamptz not null, claimed_until timestamptz null) with (fillfactor = 70);
                     create index due_at on due (due_at);" ;;
  *) echo "--ddl current|fillfactor" >&2; exit 2 ;;
esac
claim="update due d set claimed_until = now() + interval '5 minutes'
  where d.invitation_id in (select invitation_id from due where due_at <= now() and (claimed_until is null or claimed_until < now())
    order by due_at limit 500 for update skip locked)
  returning d.invitation_id"

for scenario in "0 analyze" "$waiting analyze" "$waiting vacuum"; do
  read -r w settle <<<"$scenario"
  echo "### $due due, $w waiting added then ${settle}d, table: $ddl"
  "${psql[@]}" <<SQL
drop table if exists due;
$table
insert into due select gen_random_uuid(), 'default', now() + interval '30 days', null from generate_series(1, $due);
insert into due select gen_random_uuid(), 'default', now() + interval '60 days' + random() * interval '30 days', null from generate_series(1, $w);
analyze due;
SQL
  if [[ $settle == vacuum ]]; then
    echo "VACUUM after adding the waiting rows (what the insert-triggered autovacuum would do during the next run):"
    "${psql[@]}" -c "vacuum (verbose) due" 2>&1 | grep -E "CPU|pages:|tuples:|index scan" | sed 's/^/    /'
  fi
  "${psql[@]}" <<SQL
update due set due_at = now() - interval '1 second' where due_at < now() + interval '31 days';
select pg_stat_statements_reset();
SQL
  batches=$(( (due + 499) / 500 ))
  {
    for ((k = 1; k <= batches; k++)); do
      if (( k == 1 || k == batches / 2 )); then
        echo "\\echo claim $k of $batches:"
        echo "explain (analyze, buffers, costs off, timing off) $claim;"
        echo "delete from due where due_at <= now() and claimed_until > now();"
      else
        echo "with c as ($claim) select coalesce(array_agg(invitation_id), '{}')::text as ids from c \\gset"
        echo "delete from due where invitation_id = any(:'ids'::uuid[]);"
      fi
    done
  } | "${psql[@]}" | grep -E "claim|Buffers|Index Scan|Seq Scan|Rows Removed|Execution Time|Heap Fetches" | sed 's/^/    /'
  "${psql[@]}" -At -F ' | ' <<'SQL'
select case when query like 'with c as%' then 'claim (500)' when query like 'delete%any%' then 'delete (500)' else left(query, 30) end,
  calls, round((shared_blks_hit + shared_blks_read)::numeric / calls, 1) as blocks_per_call, round((total_exec_time / calls)::numeric, 2) as ms_per_call
from pg_stat_statements where query like 'with c as%' or query like 'delete from due where invitation_id%' order by 1;
SQL
  echo "VACUUM of the table after the run (CPU as VACUUM VERBOSE reports it):"
  "${psql[@]}" -c "vacuum (verbose) due" 2>&1 | grep -E "CPU|pages:|tuples:|index scan" | sed 's/^/    /'
done
