create or replace function mt_immutable_timestamptz(value text) returns timestamp with time zone language sql immutable as $$ select value::timestamptz $$;
drop table if exists a, b;
create table a (tenant_id varchar not null, id uuid not null, data jsonb not null, mt_last_modified timestamptz default transaction_timestamp(), mt_dotnet_type varchar, mt_version bigint not null default 0, primary key (tenant_id, id));
create table b (like a including defaults, due_at_utc timestamptz, primary key (tenant_id, id)) with (fillfactor = 70);
insert into a (tenant_id, id, data, mt_dotnet_type)
select 'default', gen_random_uuid(), jsonb_build_object(
  'id', gen_random_uuid(), 'questionnaireId', gen_random_uuid(), 'questionnaireVersion', 1, 'channel', 'email', 'expiresAt', '2026-12-08T09:00:00+08:00',
  'createdAt', '2026-12-01T09:00:00+08:00', 'status', 'scheduled', 'channelOrder', jsonb_build_array('email'), 'failedChannels', '[]'::jsonb,
  'dueAt', (timestamptz '2026-12-01 09:00+08' + (g % 1000) * interval '1 minute')::text, 'customerExternalId', 'A-C-' || lpad(g::text, 8, '0'),
  'eventExternalId', 'A-RO-' || lpad(g::text, 8, '0'), 'dealerCode', 'D' || lpad((g % 300)::text, 4, '0'), 'triggerId', gen_random_uuid(),
  'reminderAt', '2026-12-04T09:00:00+08:00', 'reminderIf', 'NotCompleted', 'opened', false, 'reminded', false,
  'timeline', jsonb_build_array(jsonb_build_object('at', '2026-12-01T09:00:00+08:00', 'what', 'scheduled', 'detail', 'due 2026-12-01T09:00:00.0000000+08:00'))),
  'Survey.Domain.Invitations.Invitation'
from generate_series(1, 62000) g;
create index a_due on a (mt_immutable_timestamptz(data ->> 'dueAt'));
insert into b (tenant_id, id, data, mt_dotnet_type, due_at_utc) select tenant_id, id, data, mt_dotnet_type, mt_immutable_timestamptz(data->>'dueAt') from a;
create index b_due on b (due_at_utc);
vacuum analyze a; vacuum analyze b;
select relname, pg_size_pretty(pg_relation_size(oid)), (select avg(pg_column_size(data))::int from a) from pg_class where relname in ('a','b');
