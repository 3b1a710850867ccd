create table if not exists public.feeds (
  id              bigint generated always as identity primary key,
  url             text not null unique check (url ~* '^https?://'),
  title           text,
  site_url        text,
  folder          text,
  etag            text,
  last_modified   text,
  last_fetched_at timestamptz,
  last_error      text,
  error_count     integer not null default 0,
  next_fetch_at   timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

create table if not exists public.articles (
  id           bigint generated always as identity primary key,
  feed_id      bigint not null references public.feeds (id) on delete cascade,
  -- Stable per-feed key (guid, else link, else a content hash) so a re-sync never duplicates.
  item_key     text not null,
  title        text,
  url          text,
  author       text,
  summary      text,
  content      text,
  published_at timestamptz not null,
  is_read      boolean not null default false,
  is_starred   boolean not null default false,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (feed_id, item_key)
);

create index if not exists articles_newest_idx on public.articles (published_at desc, id desc);
create index if not exists articles_feed_newest_idx on public.articles (feed_id, published_at desc, id desc);
create index if not exists articles_unread_per_feed_idx on public.articles (feed_id) where not is_read;

alter table public.feeds enable row level security;
alter table public.articles enable row level security;

drop policy if exists "Service role has full access to feeds" on public.feeds;
create policy "Service role has full access to feeds" on public.feeds for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
drop policy if exists "Anyone can read feeds" on public.feeds;
create policy "Anyone can read feeds" on public.feeds for select to anon, authenticated using (true);

drop policy if exists "Service role has full access to articles" on public.articles;
create policy "Service role has full access to articles" on public.articles for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
drop policy if exists "Anyone can read articles" on public.articles;
create policy "Anyone can read articles" on public.articles for select to anon, authenticated using (true);
drop policy if exists "Anyone can mark articles read or starred" on public.articles;
create policy "Anyone can mark articles read or starred" on public.articles for update to anon, authenticated
  using (true) with check (true);

revoke all on public.feeds, public.articles from anon, authenticated;
grant select on public.feeds, public.articles to anon, authenticated;
-- Column-level grant: the only thing a reader may change is its own read/starred state.
grant update (is_read, is_starred) on public.articles to anon, authenticated;
grant all on public.feeds, public.articles to service_role;
grant usage, select on all sequences in schema public to service_role;
