-- When a site answered 429/503 with Retry-After, the time it asked us to wait until. Kept apart
-- from next_fetch_at (our own backoff): a full sync or the user's "Retry now" ignores the backoff
-- but never the site's own request.
alter table public.feeds add column if not exists retry_after_until timestamptz;

-- feed_unread_counts (sql/005) lists f.*, expanded when the view was made: make it again so it has
-- the new column, with the same grants (sql/005, narrowed for anon by sql/007).
drop view if exists public.feed_unread_counts;
create view public.feed_unread_counts with (security_invoker = true) as
  select f.*, coalesce(u.unread, 0)::integer as unread_count
  from public.feeds f
  left join (
    select feed_id, count(*) as unread from public.articles where not is_read group by feed_id
  ) u on u.feed_id = f.id;

-- Hosted Supabase's default privileges grant every new view to these roles: take them back first.
revoke all on public.feed_unread_counts from anon, authenticated, service_role;
grant select on public.feed_unread_counts to service_role;
