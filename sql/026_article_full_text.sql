-- Reader view (issue #20): the full article, fetched from its page and extracted by main, cached
-- with the article so it is fetched once. One row per article: the extracted HTML and the address
-- it came from, or the reason it could not be had (shown again without asking the site again).
-- Goes with its article (cascade): retention's purge and a removed feed take it along.
create table if not exists public.article_full_text (
  article_id bigint primary key references public.articles (id) on delete cascade,
  url        text,
  content    text,
  error      text,
  fetched_at timestamptz not null default now(),
  check ((content is null) <> (error is null))
);

alter table public.article_full_text enable row level security;
drop policy if exists "Service role has full access to article_full_text" on public.article_full_text;
create policy "Service role has full access to article_full_text" on public.article_full_text for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
-- Hosted Supabase's default privileges grant every new table to anon and authenticated.
revoke all on public.article_full_text from anon, authenticated;
grant all on public.article_full_text to service_role;

-- Per feed: open its articles in reader view (the full article) straight away.
alter table public.feeds add column if not exists full_article boolean not null default false;

-- feed_unread_counts lists f.*, expanded when the view was made: make it again so it has the new
-- column, same definition and grants as sql/023.
drop view if exists public.feed_unread_counts;
create view public.feed_unread_counts with (security_invoker = true) as
  select f.*, coalesce(c.unread, 0)::integer as unread_count
  from public.feeds f
  left join public.feed_counts c on c.feed_id = f.id;

revoke all on public.feed_unread_counts from anon, authenticated, service_role;
grant select on public.feed_unread_counts to service_role;
