-- Read and starred state in a narrow table of its own, and per-feed unread counters kept by triggers.
-- On the wide articles row, marking 10 000 articles read took 1-2 s: every UPDATE wrote a new
-- version of the whole row (content, search_vector, snippet) and, with the partial unread index
-- blocking HOT updates, new entries in every index including the GIN on search_vector (52 MB of WAL
-- for 10 000 rows, measured). The same UPDATE on this table takes ~50 ms, and a sync that rewrites
-- an article's content never touches its state. The sidebar's counts come from feed_counts instead
-- of a count over the unread index.
create table if not exists public.article_state (
  article_id bigint primary key references public.articles (id) on delete cascade,
  -- A copy of articles.feed_id (kept by a trigger below): marks and counts by feed need no join.
  feed_id    bigint not null,
  is_read    boolean not null default false,
  is_starred boolean not null default false
  -- Room on each page, so a mark is a HOT update: no index touches is_read or is_starred.
) with (fillfactor = 80);
-- A plain index on feed_id, not a partial one on the unread: with is_read in an index predicate no
-- mark is a HOT update (measured on 10 000: mark 62 ms / undo 93 ms with this index, 82 / 194 ms
-- with a partial `where not is_read` one, interleaved runs on one stack).
create index if not exists article_state_feed_idx on public.article_state (feed_id);

create table if not exists public.feed_counts (
  feed_id bigint primary key references public.feeds (id) on delete cascade,
  unread  integer not null default 0
);

-- The server's state of an account's item when the sync first saves it (null for a local article):
-- the insert trigger below starts the article's state from it. Written once, never updated.
alter table public.articles
  add column if not exists remote_read boolean,
  add column if not exists remote_starred boolean;

-- Existing databases: the state moves over, then the old columns go (with the partial unread index,
-- the old outbox trigger and the views and grants that named them).
do $$
begin
  if exists (select 1 from information_schema.columns
             where table_schema = 'public' and table_name = 'articles' and column_name = 'is_read') then
    insert into public.article_state (article_id, feed_id, is_read, is_starred)
      select id, feed_id, is_read, is_starred from public.articles
      on conflict (article_id) do nothing;
    drop view if exists public.feed_unread_counts;
    drop trigger if exists articles_queue_account_change on public.articles;
    alter table public.articles drop column is_read, drop column is_starred;
  end if;
end
$$;
insert into public.feed_counts (feed_id, unread)
  select f.id, count(s.article_id) filter (where not s.is_read)
  from public.feeds f left join public.article_state s on s.feed_id = f.id
  group by f.id
  on conflict (feed_id) do update set unread = excluded.unread;

alter table public.article_state enable row level security;
alter table public.feed_counts enable row level security;
drop policy if exists "Service role has full access to article_state" on public.article_state;
create policy "Service role has full access to article_state" on public.article_state for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
drop policy if exists "Service role has full access to feed_counts" on public.feed_counts;
create policy "Service role has full access to feed_counts" on public.feed_counts for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
-- Hosted Supabase's default privileges grant every new table to anon and authenticated.
revoke all on public.article_state, public.feed_counts from anon, authenticated;
grant all on public.article_state, public.feed_counts to service_role;

-- Every article has its state row, made in the statement that inserts the article (one INSERT …
-- SELECT per statement, from the transition table: the sync's batch inserts pay one statement).
create or replace function public.articles_add_state()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  insert into public.article_state (article_id, feed_id, is_read, is_starred)
    select n.id, n.feed_id, coalesce(n.remote_read, false), coalesce(n.remote_starred, false) from new_rows n;
  return null;
end
$$;
drop trigger if exists articles_add_state on public.articles;
create trigger articles_add_state after insert on public.articles
  referencing new table as new_rows for each statement execute function public.articles_add_state();

-- Nothing moves an article to another feed today; should something, its state and counts follow.
-- Row-level with a WHEN: a sync's content update never calls it (a statement trigger with a
-- transition table would copy every rewritten wide row).
create or replace function public.articles_move_state()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  update public.article_state set feed_id = new.feed_id where article_id = new.id;
  return null;
end
$$;
drop trigger if exists articles_move_state on public.articles;
create trigger articles_move_state after update of feed_id on public.articles
  for each row when (old.feed_id is distinct from new.feed_id) execute function public.articles_move_state();

-- The unread counters follow every change of state rows: one aggregate per statement, so marking
-- 10 000 read is one grouped update of a few counters. The delete path only updates (never inserts):
-- a feed being deleted has its counter row cascade away first or after, either way harmlessly.
create or replace function public.article_state_count()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.feed_counts as c (feed_id, unread)
      select n.feed_id, count(*) filter (where not n.is_read) from new_rows n group by n.feed_id order by n.feed_id
      on conflict (feed_id) do update set unread = c.unread + excluded.unread;
  elsif tg_op = 'DELETE' then
    update public.feed_counts c set unread = c.unread - d.gone
      from (select o.feed_id, count(*) as gone from old_rows o where not o.is_read group by o.feed_id) d
      where c.feed_id = d.feed_id and d.gone > 0;
  else
    insert into public.feed_counts as c (feed_id, unread)
      select d.feed_id, sum(d.delta) from (
        select n.feed_id, 1 as delta from new_rows n where not n.is_read
        union all
        select o.feed_id, -1 from old_rows o where not o.is_read
      ) d
      group by d.feed_id having sum(d.delta) <> 0 order by d.feed_id
      on conflict (feed_id) do update set unread = c.unread + excluded.unread;
  end if;
  return null;
end
$$;
drop trigger if exists article_state_count_insert on public.article_state;
create trigger article_state_count_insert after insert on public.article_state
  referencing new table as new_rows for each statement execute function public.article_state_count();
drop trigger if exists article_state_count_update on public.article_state;
create trigger article_state_count_update after update on public.article_state
  referencing old table as old_rows new table as new_rows for each statement execute function public.article_state_count();
drop trigger if exists article_state_count_delete on public.article_state;
create trigger article_state_count_delete after delete on public.article_state
  referencing old table as old_rows for each statement execute function public.article_state_count();

-- TRUNCATE fires no delete trigger: emptied state (truncating articles cascades here) is zero unread.
create or replace function public.article_state_truncated()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  update public.feed_counts set unread = 0 where unread <> 0;
  return null;
end
$$;
drop trigger if exists article_state_truncated on public.article_state;
create trigger article_state_truncated after truncate on public.article_state
  for each statement execute function public.article_state_truncated();

-- The outbox (sql/019), now from the state table: every way of marking an account article that has
-- a server id (one article, mark_all_read, its undo) queues the change in the same transaction.
-- One statement for the whole change set; local articles drop out at the join with their feed.
-- apply_account_state sets tidings.remote_apply: the server's own state is not sent back.
create or replace function public.queue_account_change()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  if coalesce(current_setting('tidings.remote_apply', true), '') = 'on'
     or not exists (select 1 from public.feeds f where f.account_id is not null) then
    return null;
  end if;
  -- EXECUTE: planned for this call's transition tables. A cached plan made when one article was
  -- marked joined old and new rows in a nested loop: 10 000 × 10 000 comparisons, seconds.
  execute $sql$
    insert into public.account_outbox as o (account_id, item_id, tag, value)
      select distinct on (f.account_id, a.remote_id, t.tag) f.account_id, a.remote_id, t.tag, t.value
      from new_rows n
      join old_rows p on p.article_id = n.article_id
      join public.feeds f on f.id = n.feed_id and f.account_id is not null
      join public.articles a on a.id = n.article_id and a.remote_id is not null
      cross join lateral (values ('read', n.is_read, p.is_read), ('starred', n.is_starred, p.is_starred)) t (tag, value, was)
      where t.value is distinct from t.was
      order by f.account_id, a.remote_id, t.tag
    on conflict (account_id, item_id, tag) do update set value = excluded.value, changed_at = clock_timestamp()
  $sql$;
  return null;
end
$$;
drop trigger if exists article_state_queue_account_change on public.article_state;
create trigger article_state_queue_account_change after update on public.article_state
  referencing old table as old_rows new table as new_rows for each statement execute function public.queue_account_change();

-- What the API reads as articles.is_read / articles.is_starred: PostgREST serves a function of the
-- row as a computed column (select, filter, order), and SQL reads a.is_read the same way, so the list
-- and every reader of articles keep their shape. SQL functions without SET clauses, so the planner
-- inlines them into one index probe per row (names are schema-qualified instead).
create or replace function public.is_read(public.articles)
returns boolean
language sql
stable
as $$ select s.is_read from public.article_state s where s.article_id = $1.id $$;
create or replace function public.is_starred(public.articles)
returns boolean
language sql
stable
as $$ select s.is_starred from public.article_state s where s.article_id = $1.id $$;

-- Feeds with their unread counts, same columns and grants as before (sql/005, sql/019).
drop view if exists public.feed_unread_counts;
create view public.feed_unread_counts with (security_invoker = true) as
  select f.*, coalesce(c.unread, 0)::integer as unread_count
  from public.feeds f
  left join public.feed_counts c on c.feed_id = f.id;

-- Mark all read as one statement per request (sql/018 marked 1 000 rows a request, the client
-- looping: 10 requests for 10 000 articles): on the state table 100 000 rows take well under the
-- per-request cap. The token records exactly the rows it changed; undo makes those unread again, once.
drop function if exists public.mark_all_read(bigint, text, uuid, bigint, integer);
drop function if exists public.undo_mark_read(uuid, integer);
create or replace function public.mark_all_read(p_feed_id bigint default null, p_folder text default null)
returns table (undo_token uuid, marked integer)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  scope bigint[];
begin
  delete from public.read_marks where created_at < now() - interval '1 day';
  -- The feeds first, then one `= any` over them: the statement's cached plan can use the feed index
  -- for any scope (an `is null or …` condition would scan the whole table for a feed of 10 articles).
  select coalesce(array_agg(f.id), '{}') into scope from public.feeds f
    where (p_feed_id is null or f.id = p_feed_id) and (p_folder is null or f.folder = p_folder);
  with done as (
    update public.article_state s set is_read = true
    where s.feed_id = any (scope) and not s.is_read
    returning s.article_id
  )
  insert into public.read_marks (article_ids)
    select coalesce(array_agg(done.article_id), '{}') from done
    returning token, cardinality(article_ids) into undo_token, marked;
  return next;
end
$$;

-- The number of rows made unread again, or null for an unknown (or already used) token.
create or replace function public.undo_mark_read(p_token uuid)
returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  ids bigint[];
  restored integer;
begin
  delete from public.read_marks where token = p_token returning article_ids into ids;
  if ids is null then
    return null;
  end if;
  update public.article_state set is_read = false where article_id = any (ids) and is_read;
  get diagnostics restored = row_count;
  return restored;
end
$$;

-- The server's state for one account (sql/019), applied to the state table. Unchanged otherwise: a
-- tag with a pending outbox row keeps the user's value; only rows that change are written.
create or replace function public.apply_account_state(p_account_id bigint, p_unread text[], p_starred text[])
returns table (read_changed integer, starred_changed integer)
language plpgsql
set search_path = public, pg_temp
set enable_nestloop = off
as $$
begin
  perform set_config('tidings.remote_apply', 'on', true);
  return query
  with unread as (
    select distinct u.id from unnest(coalesce(p_unread, '{}')) as u (id)
  ), starred as (
    select distinct s.id from unnest(coalesce(p_starred, '{}')) as s (id)
  ), wanted as (
    select a.id,
      (u.id is null) as want_read,
      (s.id is not null) as want_starred,
      st.is_read, st.is_starred,
      exists (select 1 from public.account_outbox o
              where o.account_id = p_account_id and o.item_id = a.remote_id and o.tag = 'read') as read_pending,
      exists (select 1 from public.account_outbox o
              where o.account_id = p_account_id and o.item_id = a.remote_id and o.tag = 'starred') as starred_pending
    from public.articles a
    join public.feeds f on f.id = a.feed_id and f.account_id = p_account_id
    join public.article_state st on st.article_id = a.id
    left join unread u on u.id = a.remote_id
    left join starred s on s.id = a.remote_id
    where a.remote_id is not null
  ), changes as (
    select w.id,
      (not w.read_pending and w.is_read <> w.want_read) as read_change,
      (not w.starred_pending and w.is_starred <> w.want_starred) as starred_change,
      w.want_read, w.want_starred
    from wanted w
  ), done as (
    update public.article_state st
    set is_read = case when c.read_change then c.want_read else st.is_read end,
        is_starred = case when c.starred_change then c.want_starred else st.is_starred end
    from changes c
    where st.article_id = c.id and (c.read_change or c.starred_change)
    returning c.read_change, c.starred_change
  )
  select (count(*) filter (where done.read_change))::integer,
         (count(*) filter (where done.starred_change))::integer
  from done;
end
$$;

-- search_articles (sql/011) with the state from its table; same results, same grants.
create or replace function public.search_articles(query text, result_limit integer default 20, result_offset integer default 0)
returns table (
  id bigint, feed_id bigint, title text, url text, author text, published_at timestamptz,
  is_read boolean, is_starred boolean, rank real, title_highlight text, body_highlight text
)
language sql
stable
set search_path = public, pg_temp
as $$
  with q as (
    select websearch_to_tsquery('public.simple_unaccent', query) as tsq,
      format('StartSel=%s, StopSel=%s', chr(57344), chr(57345)) as marks
  ),
  hits as (
    select a.id, ts_rank(a.search_vector, q.tsq) as rank, a.published_at
    from public.articles a, q
    where a.search_vector @@ q.tsq
    order by rank desc, a.published_at desc, a.id desc
    limit least(greatest(result_limit, 1), 100) offset greatest(result_offset, 0)
  )
  select a.id, a.feed_id, a.title, a.url, a.author, a.published_at, st.is_read, st.is_starred, h.rank,
    ts_headline('public.simple_unaccent', translate(coalesce(a.title, ''), chr(57344) || chr(57345), ''), q.tsq, q.marks || ', HighlightAll=true'),
    ts_headline('public.simple_unaccent',
      translate(regexp_replace(regexp_replace(left(coalesce(a.content, a.summary, ''), 100000),
        '<{1,1}?(script|style)\M.*?</(script|style)\s*>', ' ', 'gi'), '<[^>]*>', ' ', 'g'), chr(57344) || chr(57345), ''),
      q.tsq, q.marks || ', MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "')
  from hits h join public.articles a on a.id = h.id join public.article_state st on st.article_id = h.id, q
  order by h.rank desc, h.published_at desc, h.id desc
$$;

-- Hosted Supabase grants execute on new functions and views to anon and authenticated by default.
revoke all on public.feed_unread_counts from anon, authenticated, service_role;
grant select on public.feed_unread_counts to service_role;
revoke all on function public.mark_all_read(bigint, text), public.undo_mark_read(uuid) from public, anon, authenticated;
grant execute on function public.mark_all_read(bigint, text), public.undo_mark_read(uuid) to service_role;
revoke all on function public.is_read(public.articles), public.is_starred(public.articles) from public, anon, authenticated;
grant execute on function public.is_read(public.articles), public.is_starred(public.articles) to service_role;
-- Trigger functions: run by their triggers only, callable by no one.
revoke all on function public.articles_add_state(), public.articles_move_state(), public.article_state_count(),
  public.article_state_truncated(), public.queue_account_change() from public, anon, authenticated, service_role;
