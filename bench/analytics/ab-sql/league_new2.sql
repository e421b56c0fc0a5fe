set work_mem='64MB'; set jit=off; set random_page_cost=1.1;
explain (analyze) with f as materialized (
	  select k, g, nps, csat, ces from (
	    select ('{0}'::int[])[width_bucket(f.completed_at, '{"2026-09-30 16:00:00+00","2026-10-31 16:00:00+00"}'::timestamptz[])] as k,
	      coalesce(f.dealer_code, '') as g, f.nps, f.csat, f.ces, f.score_points
	    from survey.mt_doc_responsefact f
	    where f.tenant_id = 'default' and f.status = 'completed'
	      and f.completed_at >= '2026-09-30 16:00:00+00' and f.completed_at < '2026-10-31 16:00:00+00') x
	  where k is not null)
	select k, g, 'n' as q, 0 as v, count(*)::int as n, null as point from f group by k, g
	union all select k, g, 'nps', nps, count(*)::int, null from f where nps is not null group by k, g, nps
	union all select k, g, 'csat', csat, count(*)::int, null from f where csat is not null group by k, g, csat
	union all select k, g, 'ces', ces, count(*)::int, null from f where ces is not null group by k, g, ces;
