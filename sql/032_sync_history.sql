-- Sync history that outlives sync_status's 24 h (issue #21): one compact row per finished sync,
-- and per-feed fetch facts aggregated per feed per UTC day (500 feeds × 180 days = 90 000 rows,
-- against 2 million for one row per fetch at hourly syncs). Main's alone: anon reads none of it.
-- Kept `keepHistoryDays` (180) days and capped in rows by purge_sync_history, run after each sync.

create table if not exists public.sync_history (
  sync_id        text primary key,
  finished_at    timestamptz not null,
  started_at     timestamptz not null,
  type           text not null check (type in ('full', 'incremental')),
  -- Who asked: the app's button (or tray, or "Retry now"), its timer, or the CLI. A row whose
  -- device is not the reader's shows as "another device" (insights_* functions, p_device).
  trigger        text not null check (trigger in ('button', 'schedule', 'cli')),
  outcome        text not null check (outcome in ('completed', 'failed', 'interrupted')),
  -- The host name of the instance that ran it (the first part of its instance id), and that id.
  device         text not null,
  instance       text,
  duration_ms    integer not null check (duration_ms >= 0),
  load_ms        integer not null default 0,
  fetch_ms       integer not null default 0,
  parse_ms       integer not null default 0,
  save_ms        integer not null default 0,
  finish_ms      integer not null default 0,
  feeds_done     integer not null default 0,
  feeds_failed   integer not null default 0,
  feeds_skipped  integer not null default 0,
  articles_new   integer not null default 0,
  bytes          bigint not null default 0,
  -- The syncing process's peak resident memory so far (maxRSS) and CPU time (user + system) the sync took.
  peak_rss_bytes bigint,
  cpu_ms         integer
);

create index if not exists sync_history_finished_idx on public.sync_history (finished_at);

-- One row per feed per UTC day it was fetched. Outcomes: ok (a body), not_modified (304), failed.
-- Flapping needs the order of outcomes: `transitions` counts success↔failure changes within the
-- day, first_ok / last_ok link a day to the next. The current run of failures: streak_failures
-- (failures since the day's last success) and streak_since (its first failure; null when the day
-- ended in success). error_hours: failures per UTC hour (index 1 = 00:00–00:59), null with none.
create table if not exists public.feed_fetch_daily (
  feed_id         bigint not null references public.feeds (id) on delete cascade,
  day             date not null,
  fetches         integer not null default 0,
  ok              integer not null default 0,
  not_modified    integer not null default 0,
  failures        integer not null default 0,
  new_articles    integer not null default 0,
  bytes           bigint not null default 0,
  ttfb_ms_sum     bigint not null default 0,
  total_ms_sum    bigint not null default 0,
  err_dns         smallint not null default 0,
  err_timeout     smallint not null default 0,
  err_4xx         smallint not null default 0,
  err_5xx         smallint not null default 0,
  err_parse       smallint not null default 0,
  err_too_large   smallint not null default 0,
  err_network     smallint not null default 0,
  err_other       smallint not null default 0,
  error_hours     smallint[],
  transitions     integer not null default 0,
  first_ok        boolean not null,
  last_ok         boolean not null,
  streak_failures integer not null default 0,
  streak_since    timestamptz,
  last_error_kind text,
  primary key (feed_id, day)
);

create index if not exists feed_fetch_daily_day_idx on public.feed_fetch_daily (day);

alter table public.sync_history enable row level security;
alter table public.feed_fetch_daily enable row level security;

drop policy if exists "Service role has full access to sync_history" on public.sync_history;
create policy "Service role has full access to sync_history"
  on public.sync_history for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
drop policy if exists "Service role has full access to feed_fetch_daily" on public.feed_fetch_daily;
create policy "Service role has full access to feed_fetch_daily"
  on public.feed_fetch_daily for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');

revoke all on public.sync_history, public.feed_fetch_daily from public, anon, authenticated;
grant all on public.sync_history, public.feed_fetch_daily to service_role;

-- The sync's write-back of each fetched feed (sql/024), now also carrying the fetch's facts
-- (element key "fact"), so recording them costs no extra round trip on the sync's path:
--   {"at": time, "outcome": "ok"|"not_modified"|"failed", "kind": error kind, "ttfb_ms": n,
--    "ms": n, "bytes": n, "new": n}
-- Each feed appears once per call (one fetch per feed per sync).
create or replace function public.record_feed_fetches(p_patches jsonb)
returns integer
language sql volatile
set search_path = public, pg_temp
as $$
  with p as (
    select (e ->> 'id')::bigint as id, e -> 'patch' as v, e -> 'fact' as fact
    from jsonb_array_elements(p_patches) e
  ), done as (
    update public.feeds f set
      title = case when p.v ? 'title' then p.v ->> 'title' else f.title end,
      site_url = case when p.v ? 'site_url' then p.v ->> 'site_url' else f.site_url end,
      etag = case when p.v ? 'etag' then p.v ->> 'etag' else f.etag end,
      last_modified = case when p.v ? 'last_modified' then p.v ->> 'last_modified' else f.last_modified end,
      last_fetched_at = case when p.v ? 'last_fetched_at' then (p.v ->> 'last_fetched_at')::timestamptz else f.last_fetched_at end,
      last_error = case when p.v ? 'last_error' then p.v ->> 'last_error' else f.last_error end,
      error_count = case when p.v ? 'error_count' then (p.v ->> 'error_count')::integer else f.error_count end,
      next_fetch_at = case when p.v ? 'next_fetch_at' then (p.v ->> 'next_fetch_at')::timestamptz else f.next_fetch_at end,
      retry_after_until = case when p.v ? 'retry_after_until' then (p.v ->> 'retry_after_until')::timestamptz else f.retry_after_until end,
      updated_at = now()
    from p
    where f.id = p.id
    returning f.id
  ), facts as (
    select p.id as feed_id,
      coalesce((p.fact ->> 'at')::timestamptz, now()) as fetched_at,
      p.fact ->> 'outcome' as outcome,
      coalesce(p.fact ->> 'outcome' = 'failed', false) as failed,
      -- A failure always has a kind ('other' when unknown); a success none.
      case when p.fact ->> 'outcome' = 'failed' then coalesce(p.fact ->> 'kind', 'other') else '' end as kind,
      coalesce((p.fact ->> 'ttfb_ms')::bigint, 0) as ttfb_ms,
      coalesce((p.fact ->> 'ms')::bigint, 0) as ms,
      coalesce((p.fact ->> 'bytes')::bigint, 0) as bytes,
      coalesce((p.fact ->> 'new')::integer, 0) as new
    from p join done on done.id = p.id
    where p.fact is not null
  ), recorded as (
    insert into public.feed_fetch_daily as d (
      feed_id, day, fetches, ok, not_modified, failures, new_articles, bytes, ttfb_ms_sum, total_ms_sum,
      err_dns, err_timeout, err_4xx, err_5xx, err_parse, err_too_large, err_network, err_other,
      error_hours, first_ok, last_ok, streak_failures, streak_since, last_error_kind)
    select feed_id, (fetched_at at time zone 'UTC')::date, 1,
      (outcome = 'ok')::integer, (outcome = 'not_modified')::integer, failed::integer,
      new, bytes, ttfb_ms, ms,
      (failed and kind = 'dns')::integer, (failed and kind = 'timeout')::integer,
      (failed and kind = '4xx')::integer, (failed and kind = '5xx')::integer,
      (failed and kind = 'parse')::integer, (failed and kind = 'too_large')::integer,
      (failed and kind = 'network')::integer,
      (failed and kind not in ('dns', 'timeout', '4xx', '5xx', 'parse', 'too_large', 'network'))::integer,
      case when failed then
        (select array_agg((h = extract(hour from fetched_at at time zone 'UTC')::integer)::integer::smallint order by h)
         from generate_series(0, 23) h)
      end,
      not failed, not failed,
      failed::integer,
      case when failed then fetched_at end,
      case when failed then kind end
    from facts
    on conflict (feed_id, day) do update set
      fetches = d.fetches + 1,
      ok = d.ok + excluded.ok,
      not_modified = d.not_modified + excluded.not_modified,
      failures = d.failures + excluded.failures,
      new_articles = d.new_articles + excluded.new_articles,
      bytes = d.bytes + excluded.bytes,
      ttfb_ms_sum = d.ttfb_ms_sum + excluded.ttfb_ms_sum,
      total_ms_sum = d.total_ms_sum + excluded.total_ms_sum,
      err_dns = d.err_dns + excluded.err_dns,
      err_timeout = d.err_timeout + excluded.err_timeout,
      err_4xx = d.err_4xx + excluded.err_4xx,
      err_5xx = d.err_5xx + excluded.err_5xx,
      err_parse = d.err_parse + excluded.err_parse,
      err_too_large = d.err_too_large + excluded.err_too_large,
      err_network = d.err_network + excluded.err_network,
      err_other = d.err_other + excluded.err_other,
      error_hours = case
        when excluded.error_hours is null then d.error_hours
        when d.error_hours is null then excluded.error_hours
        else (select array_agg(d.error_hours[i] + excluded.error_hours[i] order by i) from generate_series(1, 24) i)
      end,
      transitions = d.transitions + (d.last_ok <> excluded.last_ok)::integer,
      last_ok = excluded.last_ok,
      streak_failures = case when excluded.last_ok then 0 else d.streak_failures + 1 end,
      streak_since = case when excluded.last_ok then null else coalesce(d.streak_since, excluded.streak_since) end,
      last_error_kind = coalesce(excluded.last_error_kind, d.last_error_kind)
    returning 1
  )
  select count(*)::integer from done
$$;

revoke execute on function public.record_feed_fetches(jsonb) from public, anon, authenticated;
grant execute on function public.record_feed_fetches(jsonb) to service_role;

-- Retention of the history (settings: keepHistoryDays), and a cap in rows whatever the setting,
-- so its size stays bounded: the oldest go first. Returns how many rows went.
create or replace function public.purge_sync_history(
  p_keep_days integer,
  p_max_syncs integer default 20000,
  p_max_feed_days integer default 400000
)
returns integer
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  gone integer := 0;
  n integer;
  cutoff_time timestamptz;
  cutoff_day date;
begin
  delete from public.sync_history where finished_at < now() - make_interval(days => p_keep_days);
  get diagnostics n = row_count; gone := gone + n;
  delete from public.feed_fetch_daily where day < (now() at time zone 'UTC')::date - p_keep_days;
  get diagnostics n = row_count; gone := gone + n;
  select finished_at into cutoff_time from public.sync_history order by finished_at desc offset p_max_syncs limit 1;
  if found then
    delete from public.sync_history where finished_at <= cutoff_time;
    get diagnostics n = row_count; gone := gone + n;
  end if;
  select day into cutoff_day from public.feed_fetch_daily order by day desc offset p_max_feed_days limit 1;
  if found then
    delete from public.feed_fetch_daily where day <= cutoff_day;
    get diagnostics n = row_count; gone := gone + n;
  end if;
  return gone;
end
$$;

revoke execute on function public.purge_sync_history(integer, integer, integer) from public, anon, authenticated;
grant execute on function public.purge_sync_history(integer, integer, integer) to service_role;
