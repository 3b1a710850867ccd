-- Feeds with their unread counts in one request: the sidebar asks for this on every refresh, so it
-- must not be one count query per feed. Uses articles_unread_per_feed_idx (partial, not is_read).
-- security_invoker: the caller's RLS policies apply, as if it had queried the tables itself.
create or replace view public.feed_unread_counts with (security_invoker = true) as
  select f.*, coalesce(u.unread, 0)::integer as unread_count
  from public.feeds f
  left join (
    select feed_id, count(*) as unread from public.articles where not is_read group by feed_id
  ) u on u.feed_id = f.id;

revoke all on public.feed_unread_counts from anon, authenticated;
grant select on public.feed_unread_counts to anon, authenticated, service_role;
