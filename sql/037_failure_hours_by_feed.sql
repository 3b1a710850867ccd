-- sql/033's insights_failures again, with each feed's failures per hour besides (issue #21): words
-- about a run of hours then count the feeds that fail in it, not every feed that failed in the range.
--
-- failingFeeds: feeds whose latest 2+ fetches failed (whatever the range: it is
-- their state now), with the kind of the latest failure and the first failure of the run.
-- byKind and byHour: the range's failed fetches. flapping: feeds with 4+ success↔failure changes
-- in the range (changes within a day, and between one fetch day and the next).
-- hoursByFeed: each feed with failures in the range, most failures first (then by id): its failures
-- per UTC hour (24 entries, index 0 = 00:00) and its most frequent kind (ties: the kind's name
-- first; 'other' when only hours were recorded). byHour is their sum.
create or replace function public.insights_failures(p_days integer)
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  with r as (
    select * from public.feed_fetch_daily
    where day > (now() at time zone 'UTC')::date - p_days
  ), latest as (
    select distinct on (feed_id) feed_id, last_ok, last_error_kind
    from public.feed_fetch_daily order by feed_id, day desc
  ), last_success as (
    select distinct on (d.feed_id) d.feed_id, d.day, d.streak_failures, d.streak_since
    from public.feed_fetch_daily d join latest l on l.feed_id = d.feed_id and not l.last_ok
    where d.ok + d.not_modified > 0
    order by d.feed_id, d.day desc
  ), streaks as (
    select l.feed_id, l.last_error_kind,
      coalesce(s.streak_failures, 0) + coalesce(later.failures, 0) as streak,
      coalesce(s.streak_since, later.since) as since
    from latest l
    left join last_success s on s.feed_id = l.feed_id
    cross join lateral (
      select sum(d.failures) as failures, min(d.streak_since) as since
      from public.feed_fetch_daily d
      where d.feed_id = l.feed_id and d.day > coalesce(s.day, '-infinity'::date)
    ) later
    where not l.last_ok
  ), changes as (
    select feed_id,
      transitions + coalesce((lag(last_ok) over (partition by feed_id order by day) <> first_ok)::integer, 0) as n
    from r
  ), feed_kind_counts as (
    select r.feed_id, k.kind, sum(k.n) as n
    from r cross join lateral (values
      ('dns', r.err_dns), ('timeout', r.err_timeout), ('4xx', r.err_4xx), ('5xx', r.err_5xx),
      ('parse', r.err_parse), ('too_large', r.err_too_large), ('network', r.err_network), ('other', r.err_other)
    ) k(kind, n)
    group by r.feed_id, k.kind
    having sum(k.n) > 0
  ), feed_kinds as (
    select distinct on (feed_id) feed_id, kind from feed_kind_counts order by feed_id, n desc, kind
  ), feed_hours as (
    -- error_hours[1] is 00:00: ordinality i is the hour + 1.
    select r.feed_id, u.i, sum(u.n) as n
    from r cross join lateral unnest(r.error_hours) with ordinality u(n, i)
    where u.n > 0
    group by r.feed_id, u.i
  ), kinds as (
    select k.kind, sum(k.n) as failures, count(distinct r.feed_id) filter (where k.n > 0) as feeds
    from r cross join lateral (values
      ('dns', r.err_dns), ('timeout', r.err_timeout), ('4xx', r.err_4xx), ('5xx', r.err_5xx),
      ('parse', r.err_parse), ('too_large', r.err_too_large), ('network', r.err_network), ('other', r.err_other)
    ) k(kind, n)
    group by k.kind
    having sum(k.n) > 0
  )
  select jsonb_build_object(
    'failingFeeds', coalesce((
      select jsonb_agg(jsonb_build_object('feedId', f.id, 'title', f.title, 'url', f.url,
        'errorKind', coalesce(s.last_error_kind, 'other'), 'failingSince', s.since, 'streak', s.streak)
        order by s.since, f.id)
      from streaks s join public.feeds f on f.id = s.feed_id
      where s.streak >= 2), '[]'::jsonb),
    'byKind', coalesce((
      select jsonb_agg(jsonb_build_object('kind', kind, 'failures', failures, 'feeds', feeds)
        order by failures desc, kind)
      from kinds), '[]'::jsonb),
    'flapping', coalesce((
      select jsonb_agg(jsonb_build_object('feedId', f.id, 'title', f.title, 'url', f.url, 'transitions', c.n)
        order by c.n desc, f.id)
      from (select feed_id, sum(n) as n from changes group by feed_id having sum(n) >= 4) c
      join public.feeds f on f.id = c.feed_id), '[]'::jsonb),
    'byHour', (
      select jsonb_agg(coalesce(x.n, 0) order by i)
      from generate_series(1, 24) i
      cross join lateral (select sum(r.error_hours[i]) as n from r) x),
    'hoursByFeed', coalesce((
      select jsonb_agg(jsonb_build_object('feedId', f.id, 'title', f.title, 'url', f.url,
        'kind', coalesce(fk.kind, 'other'),
        'hours', (
          select jsonb_agg(coalesce(h.n, 0) order by g)
          from generate_series(1, 24) g
          left join feed_hours h on h.feed_id = t.feed_id and h.i = g))
        order by t.failures desc, f.id)
      from (select feed_id, sum(n) as failures from feed_hours group by feed_id) t
      join public.feeds f on f.id = t.feed_id
      left join feed_kinds fk on fk.feed_id = t.feed_id), '[]'::jsonb)
  )
$$;

revoke execute on function public.insights_failures(integer) from public, anon, authenticated;
grant execute on function public.insights_failures(integer) to service_role;
