-- Google Reader API accounts (FreshRSS, Miniflux, …): their feeds, articles and read/starred state
-- come from the server. The account's password lives in main's credential store
-- (src/core/config/account-credentials.ts), never in the database: no column here holds it.
create table if not exists public.accounts (
  id                bigint generated always as identity primary key,
  kind              text not null check (kind in ('greader')),
  -- What the user calls it ("FreshRSS").
  name              text not null,
  base_url          text not null check (base_url ~* '^https?://'),
  username          text not null,
  -- The newest crawl time seen, in µs as a decimal string (too big for a JS number): the next sync's `ot`.
  last_crawl_usec   text check (last_crawl_usec ~ '^[0-9]{1,20}$'),
  synced_at         timestamptz,
  last_error        text,
  error_count       integer not null default 0,
  -- The server's Retry-After, as for a feed (sql/017).
  retry_after_until timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  unique (kind, base_url, username)
);

-- A feed of an account (account_id null: "On this computer") and the server's `feed/…` id for it.
alter table public.feeds
  add column if not exists account_id bigint references public.accounts (id) on delete cascade,
  add column if not exists remote_id text;
alter table public.feeds drop constraint if exists feeds_account_remote_check;
alter table public.feeds add constraint feeds_account_remote_check check ((account_id is null) = (remote_id is null));
alter table public.feeds drop constraint if exists feeds_account_remote_key;
alter table public.feeds add constraint feeds_account_remote_key unique (account_id, remote_id);
-- An account may carry a URL a local feed (or another account) has too: a URL is unique per
-- account, and once among local feeds (nulls not distinct: Postgres 15+). Upserts name
-- (account_id, url) as their conflict target.
alter table public.feeds drop constraint if exists feeds_url_key;
alter table public.feeds drop constraint if exists feeds_account_url_key;
alter table public.feeds add constraint feeds_account_url_key unique nulls not distinct (account_id, url);

-- The server's long-form item id (for an account's articles item_key holds it too).
alter table public.articles add column if not exists remote_id text;

-- The user's read/star changes not yet sent to the server, one row per item and tag with the latest
-- value: queued in the same transaction as the change (trigger below), so a crash loses none.
create table if not exists public.account_outbox (
  account_id bigint not null references public.accounts (id) on delete cascade,
  item_id    text not null,
  tag        text not null check (tag in ('read', 'starred')),
  value      boolean not null,
  -- clock_timestamp, not now(): a change later in the same transaction must read as newer.
  changed_at timestamptz not null default clock_timestamp(),
  primary key (account_id, item_id, tag)
);

alter table public.accounts enable row level security;
alter table public.account_outbox enable row level security;
drop policy if exists "Service role has full access to accounts" on public.accounts;
create policy "Service role has full access to accounts" on public.accounts for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
drop policy if exists "Service role has full access to account_outbox" on public.account_outbox;
create policy "Service role has full access to account_outbox" on public.account_outbox for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
-- Hosted Supabase's default privileges grant every new table and sequence to anon and authenticated.
revoke all on public.accounts, public.account_outbox from anon, authenticated;
revoke all on all sequences in schema public from anon, authenticated;
grant all on public.accounts, public.account_outbox to service_role;
grant usage, select on all sequences in schema public to service_role;

-- Every way of marking (one article, mark_all_read, its undo) queues the change for the server,
-- for an account's article that has a server id. apply_account_state sets tidings.remote_apply:
-- the server's own state coming in is not sent back.
create or replace function public.queue_account_change()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
declare
  acct bigint;
begin
  if new.remote_id is null or coalesce(current_setting('tidings.remote_apply', true), '') = 'on' then
    return null;
  end if;
  select f.account_id into acct from public.feeds f where f.id = new.feed_id;
  if acct is null then
    return null;
  end if;
  if new.is_read is distinct from old.is_read then
    insert into public.account_outbox as o (account_id, item_id, tag, value)
    values (acct, new.remote_id, 'read', new.is_read)
    on conflict (account_id, item_id, tag) do update set value = excluded.value, changed_at = clock_timestamp();
  end if;
  if new.is_starred is distinct from old.is_starred then
    insert into public.account_outbox as o (account_id, item_id, tag, value)
    values (acct, new.remote_id, 'starred', new.is_starred)
    on conflict (account_id, item_id, tag) do update set value = excluded.value, changed_at = clock_timestamp();
  end if;
  return null;
end
$$;

drop trigger if exists articles_queue_account_change on public.articles;
create trigger articles_queue_account_change
  after update of is_read, is_starred on public.articles
  for each row
  -- A local article has no server id: its marks never call the function.
  when (new.remote_id is not null
        and (old.is_read is distinct from new.is_read or old.is_starred is distinct from new.is_starred))
  execute function public.queue_account_change();

-- The server's state for one account: its unread and starred item ids (every other item of the
-- account is read, unstarred). A tag with a pending outbox row keeps the user's value (it is on its
-- way to the server); every other article follows the server. Only rows that change are written.
-- The sync must write is_read/is_starred of existing account articles through here (a plain update
-- is the user's change and would be queued). A mark the user makes while this runs may be overwritten
-- here, but its outbox row stays: the next send and sync bring it back.
create or replace function public.apply_account_state(p_account_id bigint, p_unread text[], p_starred text[])
returns table (read_changed integer, starred_changed integer)
language plpgsql
set search_path = public, pg_temp
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
      a.is_read, a.is_starred,
      exists (select 1 from public.account_outbox o
              where o.account_id = p_account_id and o.item_id = a.remote_id and o.tag = 'read') as read_pending,
      exists (select 1 from public.account_outbox o
              where o.account_id = p_account_id and o.item_id = a.remote_id and o.tag = 'starred') as starred_pending
    from public.articles a
    join public.feeds f on f.id = a.feed_id and f.account_id = p_account_id
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
    update public.articles a
    set is_read = case when c.read_change then c.want_read else a.is_read end,
        is_starred = case when c.starred_change then c.want_starred else a.is_starred end
    from changes c
    where a.id = c.id and (c.read_change or c.starred_change)
    returning c.read_change, c.starred_change
  )
  select (count(*) filter (where done.read_change))::integer,
         (count(*) filter (where done.starred_change))::integer
  from done;
end
$$;

-- Takes the sent changes off the outbox: those whose changed_at is still the one that was read and
-- sent, so a change the user made while they were on their way stays queued. p_sent is a json
-- array of {item_id, tag, changed_at} (in a request body: a URL filter cannot carry 1 000 ids).
create or replace function public.mark_outbox_sent(p_account_id bigint, p_sent jsonb)
returns integer
language sql
set search_path = public, pg_temp
as $$
  with gone as (
    delete from public.account_outbox o
    using jsonb_to_recordset(p_sent) as s (item_id text, tag text, changed_at timestamptz)
    where o.account_id = p_account_id and o.item_id = s.item_id and o.tag = s.tag and o.changed_at = s.changed_at
    returning 1
  )
  select count(*)::integer from gone
$$;

-- Hosted Supabase grants execute on new functions to anon and authenticated by default. The
-- trigger function is called by the trigger only (no execute privilege is needed for that).
revoke all on function public.apply_account_state(bigint, text[], text[]) from public, anon, authenticated;
grant execute on function public.apply_account_state(bigint, text[], text[]) to service_role;
revoke all on function public.mark_outbox_sent(bigint, jsonb) from public, anon, authenticated;
grant execute on function public.mark_outbox_sent(bigint, jsonb) to service_role;
revoke all on function public.queue_account_change() from public, anon, authenticated, service_role;

-- feed_unread_counts (sql/005) lists f.*, expanded when the view was made: make it again so it has
-- account_id and remote_id, with the same grants (sql/017).
drop view if exists public.feed_unread_counts;
create view public.feed_unread_counts with (security_invoker = true) as
  select f.*, coalesce(u.unread, 0)::integer as unread_count
  from public.feeds f
  left join (
    select feed_id, count(*) as unread from public.articles where not is_read group by feed_id
  ) u on u.feed_id = f.id;

revoke all on public.feed_unread_counts from anon, authenticated, service_role;
grant select on public.feed_unread_counts to service_role;
