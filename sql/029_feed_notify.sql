-- Whether a feed's new articles count in the new-articles notification after a background sync
-- (the global switch is the notifyNewArticles setting). On by default: a feed is opted out.
alter table public.feeds add column if not exists notify boolean not null default true;

-- feed_unread_counts lists f.*, expanded when the view was made: make it again so it has the new
-- column, with the same definition and grants (sql/023).
drop view if exists public.feed_unread_counts;
create view public.feed_unread_counts with (security_invoker = true) as
  select f.*, coalesce(c.unread, 0)::integer as unread_count
  from public.feeds f
  left join public.feed_counts c on c.feed_id = f.id;

revoke all on public.feed_unread_counts from anon, authenticated, service_role;
grant select on public.feed_unread_counts to service_role;
