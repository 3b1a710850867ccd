-- The sync history leaves the sync's path (issue #21: "written off the hot path"). The fetch facts
-- no longer ride on the feeds' write-back (record_feed_fetches, which the sync awaits): main sends
-- them with the sync's history row once the sync has ended and let its lease go, in the background.
-- record_feed_fetches still accepts facts (below), so a device on an older build keeps recording them.
--   p_facts: [{"id": feed id, "fact": {"at", "outcome", "kind", "ttfb_ms", "ms", "bytes", "new"}}]
-- Each feed appears once per call (one fetch per feed per sync); calls are made in sync order.
create or replace function public.record_fetch_facts(p_facts jsonb)
returns integer
language sql volatile
set search_path = public, pg_temp
as $$
  with p as (
    select (e ->> 'id')::bigint as id, e -> 'fact' as fact from jsonb_array_elements(p_facts) e
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
    -- A feed unsubscribed since its fetch has nothing left to record against.
    from p join public.feeds f on f.id = p.id
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
  select count(*)::integer from recorded
$$;

revoke execute on function public.record_fetch_facts(jsonb) from public, anon, authenticated;
grant execute on function public.record_fetch_facts(jsonb) to service_role;

-- The write-back as sql/024 made it; facts in it (an older build) go to record_fetch_facts. A call
-- without facts no longer touches feed_fetch_daily, so the sync never waits on the history.
create or replace function public.record_feed_fetches(p_patches jsonb)
returns integer
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  n integer;
  facts jsonb;
begin
  with p as (
    select (e ->> 'id')::bigint as id, e -> 'patch' as v from jsonb_array_elements(p_patches) e
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
    returning 1
  )
  select count(*)::integer into n from done;
  select jsonb_agg(jsonb_build_object('id', e -> 'id', 'fact', e -> 'fact')) into facts
    from jsonb_array_elements(p_patches) e where e ? 'fact';
  if facts is not null then
    perform public.record_fetch_facts(facts);
  end if;
  return n;
end
$$;

revoke execute on function public.record_feed_fetches(jsonb) from public, anon, authenticated;
grant execute on function public.record_feed_fetches(jsonb) to service_role;
