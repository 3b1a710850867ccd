-- Every fetched feed's new state in one statement (the sync sent one PATCH per distinct patch: with
-- ETags all differing, one per feed — 200 requests, a third of a second at the end of a sync). Each
-- element is {"id": …, "patch": {column: value}}; a column absent from a patch is kept, a null clears.
create or replace function public.record_feed_fetches(p_patches jsonb)
returns integer
language sql volatile
set search_path = public, pg_temp
as $$
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
  select count(*)::integer from done
$$;

revoke execute on function public.record_feed_fetches(jsonb) from public, anon, authenticated;
grant execute on function public.record_feed_fetches(jsonb) to service_role;
