-- The figures of Insights and `tidings stats` (issue #21), computed where the history is (sql/032).
-- Each takes the range in days: sync rows finished within the last p_days × 24 h, feed-day rows of
-- the last p_days UTC days (today included). Days and weeks are UTC (weeks start Monday).
-- p_device: the reader's host name; syncs recorded by another host count as 'another-device'.
-- Main's alone, like the history they read.

-- Sync trends: syncs, failures and new articles per day; median and p95 duration per week.
-- Durations are of every finished sync (failed and interrupted ones too), in whole ms.
create or replace function public.insights_sync_trends(p_days integer, p_device text default null)
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  with h as (
    select s.*, (s.finished_at at time zone 'UTC')::date as day,
      (date_trunc('week', s.finished_at at time zone 'UTC'))::date as week,
      case when p_device is not null and s.device <> p_device then 'another-device' else s.trigger end as who
    from public.sync_history s
    where s.finished_at > now() - make_interval(days => p_days)
  )
  select jsonb_build_object(
    'syncs', (select count(*) from h),
    'medianMs', (select round((percentile_cont(0.5) within group (order by duration_ms))::numeric) from h),
    'failureRate', coalesce((select avg((outcome <> 'completed')::integer) from h), 0),
    'perDay', coalesce((
      select jsonb_agg(jsonb_build_object('day', day, 'syncs', n, 'failed', failed, 'newArticles', new) order by day)
      from (
        select day, count(*) as n, count(*) filter (where outcome <> 'completed') as failed,
          sum(articles_new) as new
        from h group by day
      ) d), '[]'::jsonb),
    'perWeek', coalesce((
      select jsonb_agg(jsonb_build_object('week', week, 'syncs', n, 'medianMs', median, 'p95Ms', p95) order by week)
      from (
        select week, count(*) as n,
          round((percentile_cont(0.5) within group (order by duration_ms))::numeric) as median,
          round((percentile_cont(0.95) within group (order by duration_ms))::numeric) as p95
        from h group by week
      ) w), '[]'::jsonb),
    'byTrigger', coalesce((
      select jsonb_agg(jsonb_build_object('trigger', who, 'syncs', n) order by who)
      from (select who, count(*) as n from h group by who) t), '[]'::jsonb)
  )
$$;

-- Failure patterns. failingFeeds: feeds whose latest 2+ fetches failed (whatever the range: it is
-- their state now), with the kind of the latest failure and the first failure of the run.
-- byKind and byHour: the range's failed fetches. flapping: feeds with 4+ success↔failure changes
-- in the range (changes within a day, and between one fetch day and the next).
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
      cross join lateral (select sum(r.error_hours[i]) as n from r) x)
  )
$$;

-- Feed health, one entry per subscription (local and of accounts). From the articles: new ones
-- (first seen) per week for the last 12 weeks, and the newest (or, when read articles were
-- purged, the last history day with new ones). From the range's fetch days: the median of the
-- days' mean fetch time, bytes per fetch with a body, the share of 304s, and bytes per new article
-- (all the bytes when none was new). Dead: subscribed 180+ days and nothing new for 180 days.
-- Heavy: the top 5 % (rounded up) of fetched feeds by bytes per new article.
create or replace function public.insights_feed_health(p_days integer)
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  with this_week as (
    select date_trunc('week', now() at time zone 'UTC') as start
  ), fetched as (
    select feed_id,
      percentile_cont(0.5) within group (order by total_ms_sum::float8 / fetches) as median_ms,
      sum(bytes) as bytes, sum(ok) as ok, sum(not_modified) as not_modified, sum(fetches) as fetches,
      sum(new_articles) as new
    from public.feed_fetch_daily
    where day > (now() at time zone 'UTC')::date - p_days and fetches > 0
    group by feed_id
  ), weighed as (
    select feed_id, bytes::float8 / greatest(new, 1) as per_new,
      row_number() over (order by bytes::float8 / greatest(new, 1) desc, feed_id) as place,
      count(*) over () as feeds
    from fetched where bytes > 0
  ), weeks as (
    select a.feed_id,
      11 - ((w.start::date - (date_trunc('week', a.created_at at time zone 'UTC'))::date) / 7) as slot,
      count(*) as n
    from public.articles a, this_week w
    where a.created_at >= (w.start - interval '11 weeks') at time zone 'UTC'
    group by 1, 2
  ), newest as (
    select feed_id, max(created_at) as at from public.articles group by feed_id
  ), newest_day as (
    select feed_id, max(day)::timestamp at time zone 'UTC' as at
    from public.feed_fetch_daily where new_articles > 0 group by feed_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'feedId', f.id, 'title', f.title, 'url', f.url,
      'articlesPerWeek', (
        select jsonb_agg(coalesce(wk.n, 0) order by s)
        from generate_series(0, 11) s left join weeks wk on wk.feed_id = f.id and wk.slot = s),
      'lastNewArticleAt', greatest(n.at, nd.at),
      'medianFetchMs', round(fe.median_ms::numeric),
      'bytesPerFetch', case when fe.ok > 0 then round(fe.bytes::numeric / fe.ok) end,
      'notModifiedShare', case when fe.fetches > 0 then fe.not_modified::numeric / fe.fetches end,
      'bytesPerNewArticle', round(w.per_new::numeric),
      'dead', f.created_at <= now() - interval '180 days'
        and coalesce(greatest(n.at, nd.at) < now() - interval '180 days', true),
      'heavy', coalesce(w.place <= ceil(0.05 * w.feeds), false)
    ) order by f.id), '[]'::jsonb)
  from public.feeds f
  left join fetched fe on fe.feed_id = f.id
  left join weighed w on w.feed_id = f.id
  left join newest n on n.feed_id = f.id
  left join newest_day nd on nd.feed_id = f.id
$$;

-- Resource use: each sync's peak memory and CPU (newest first, at most 500), and the database's
-- size with the parts taken by the articles (table, TOAST and indexes but the search index), the
-- search index, and this history.
create or replace function public.insights_resources(p_days integer, p_device text default null)
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'perSync', coalesce((
      select jsonb_agg(jsonb_build_object('syncId', sync_id, 'finishedAt', finished_at,
        'trigger', case when p_device is not null and device <> p_device then 'another-device' else trigger end,
        'durationMs', duration_ms, 'peakRssBytes', peak_rss_bytes, 'cpuMs', cpu_ms) order by finished_at desc)
      from (
        select * from public.sync_history
        where finished_at > now() - make_interval(days => p_days)
        order by finished_at desc limit 500
      ) s), '[]'::jsonb),
    'database', jsonb_build_object(
      'totalBytes', pg_database_size(current_database()),
      'articlesBytes', pg_total_relation_size('public.articles') - pg_relation_size('public.articles_search_idx'),
      'searchIndexBytes', pg_relation_size('public.articles_search_idx'),
      'historyBytes', pg_total_relation_size('public.sync_history') + pg_total_relation_size('public.feed_fetch_daily'))
  )
$$;

revoke execute on function public.insights_sync_trends(integer, text) from public, anon, authenticated;
revoke execute on function public.insights_failures(integer) from public, anon, authenticated;
revoke execute on function public.insights_feed_health(integer) from public, anon, authenticated;
revoke execute on function public.insights_resources(integer, text) from public, anon, authenticated;
grant execute on function public.insights_sync_trends(integer, text) to service_role;
grant execute on function public.insights_failures(integer) to service_role;
grant execute on function public.insights_feed_health(integer) to service_role;
grant execute on function public.insights_resources(integer, text) to service_role;
