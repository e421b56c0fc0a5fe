set work_mem='64MB';
explain (analyze, buffers) with f as materialized (
	  select k, g, nps, csat, ces, coalesce(score_points, array(select concat_ws('|', s.value->>'value', s.value->>'min', s.value->>'max', s.value->>'type', s.key) from jsonb_each(data->'scores') s)) as points from (
	    select ('{0}'::int[])[width_bucket(f.completed_at, '{"2026-09-30 16:00:00+00","2026-10-31 16:00:00+00"}'::timestamptz[])] as k,
	      coalesce(f.dealer_code, '') as g, f.nps, f.csat, f.ces, f.score_points, f.data
	    from survey.mt_doc_responsefact f
	    where f.tenant_id = 'default' and f.status = 'completed'
	      and f.completed_at >= '2026-09-30 16:00:00+00' and f.completed_at < '2026-10-31 16:00:00+00') x
	  where k is not null)
	select k, g, 'n' as q, 0 as v, count(*)::int as n, null as point from f group by k, g
	union all select k, g, 'nps', nps, count(*)::int, null from f where nps is not null group by k, g, nps
	union all select k, g, 'csat', csat, count(*)::int, null from f where csat is not null group by k, g, csat
	union all select k, g, 'ces', ces, count(*)::int, null from f where ces is not null group by k, g, ces
	union all select k, g, 'k', 0, count(*)::int, sp from f, unnest(f.points) sp group by k, g, sp;
explain (analyze, buffers) select coalesce(f.dealer_code, ''), count(*)::int, count(*) filter (where f.status = 'completed')::int
	from survey.mt_doc_responsefact f
	where f.tenant_id = 'default' and f.started_at >= '2026-09-30 16:00:00+00'
	  and f.started_at < '2026-10-31 16:00:00+00'
	group by 1;
