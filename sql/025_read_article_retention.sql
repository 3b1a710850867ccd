-- Retention of read articles (settings: keepReadDays). Read, unstarred articles older than N days
-- are deleted, a bounded window at a time; unread and starred ones are never touched.
--
-- "Older" means both: dated (published_at: the feed's date, or the time the sync first saw an
-- undated item) and first seen (created_at) more than N days ago. By date, because that is how a
-- reader thinks of an article's age, and the (published_at, id) index the list already has walks
-- them oldest first; and first seen too, so that the two-year-old back catalogue of a feed
-- subscribed today, read today, is still there tomorrow.
--
-- A deleted article leaves a tombstone (its feed and a hash of its item key): the sync dedupes on
-- (feed_id, item_key), so a feed that still lists the item would otherwise bring it back as new and
-- unread. The trigger below drops such an insert, whatever path it comes by (a feed, an account).
-- Tombstones go with their feed (cascade); 16 bytes of hash keep them small.
create table if not exists public.article_tombstones (
  feed_id    bigint not null references public.feeds (id) on delete cascade,
  key_hash   uuid not null,
  deleted_at timestamptz not null default now(),
  primary key (feed_id, key_hash)
);

alter table public.article_tombstones enable row level security;
drop policy if exists "Service role has full access to article_tombstones" on public.article_tombstones;
create policy "Service role has full access to article_tombstones" on public.article_tombstones for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
-- Hosted Supabase's default privileges grant every new table to anon and authenticated.
revoke all on public.article_tombstones from anon, authenticated;
grant all on public.article_tombstones to service_role;

create or replace function public.skip_purged_article()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  -- Returning null drops the row before conflict handling: an upsert of it does nothing either.
  if exists (select 1 from public.article_tombstones t
             where t.feed_id = new.feed_id and t.key_hash = md5(new.item_key)::uuid) then
    return null;
  end if;
  return new;
end
$$;

drop trigger if exists articles_skip_purged on public.articles;
create trigger articles_skip_purged
  before insert on public.articles
  for each row
  execute function public.skip_purged_article();

-- One window of the pass: up to p_limit articles published before the cutoff, after the cursor
-- (p_after_published, p_after_id) in (published_at, id) order; deletes those of them the rule
-- allows and answers how many, the window's last key (the next call's cursor), and whether the
-- window was the last one. Each call is one short transaction: the pass never holds long locks.
create or replace function public.purge_read_articles(
  p_keep_days integer,
  p_after_published timestamptz default '-infinity',
  p_after_id bigint default 0,
  p_limit integer default 2000
)
returns table (deleted integer, last_published timestamptz, last_id bigint, done boolean)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  cutoff timestamptz;
  ids bigint[];
begin
  if p_keep_days is null or p_keep_days < 1 then
    raise exception 'keep days must be at least 1' using errcode = '22023';
  end if;
  cutoff := now() - make_interval(days => p_keep_days);
  select array_agg(w.id order by w.published_at, w.id), max(w.published_at)
    into ids, last_published
  from (
    select a.id, a.published_at from public.articles a
    where (a.published_at, a.id) > (p_after_published, p_after_id) and a.published_at < cutoff
    order by a.published_at, a.id
    limit greatest(p_limit, 1)
  ) w;
  last_id := ids[cardinality(ids)];
  with gone as (
    delete from public.articles a
    where a.id = any (coalesce(ids, '{}'))
      -- The rule, in this one place: read, not starred, and first seen before the cutoff too.
      and a.created_at < cutoff
      and exists (select 1 from public.article_state s
                  where s.article_id = a.id and s.is_read and not s.is_starred)
    returning a.feed_id, a.item_key
  ), buried as (
    insert into public.article_tombstones (feed_id, key_hash)
    select g.feed_id, md5(g.item_key)::uuid from gone g
    on conflict do nothing
  )
  select count(*)::integer into deleted from gone;
  done := coalesce(cardinality(ids), 0) < greatest(p_limit, 1);
  return next;
end
$$;

-- Hosted Supabase grants execute on new functions to anon and authenticated by default. The
-- trigger's function is called by the trigger alone.
revoke all on function public.purge_read_articles(integer, timestamptz, bigint, integer) from public, anon, authenticated;
grant execute on function public.purge_read_articles(integer, timestamptz, bigint, integer) to service_role;
revoke all on function public.skip_purged_article() from public, anon, authenticated, service_role;
