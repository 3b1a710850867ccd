-- Mark all read for one feed, one folder or everything, with undo: each call records exactly the
-- rows it changed (those that were unread), under a token; undo_mark_read(token) makes those rows
-- unread again, once. Tokens older than a day are dropped by the next call: undo is for the
-- next few seconds, not for history.
create table if not exists public.read_marks (
  token       uuid primary key default gen_random_uuid(),
  article_ids bigint[] not null,
  created_at  timestamptz not null default now()
);

alter table public.read_marks enable row level security;
drop policy if exists "Service role has full access to read_marks" on public.read_marks;
create policy "Service role has full access to read_marks" on public.read_marks for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
revoke all on public.read_marks from anon, authenticated;
grant all on public.read_marks to service_role;

-- Folder null = every feed; feed null = every feed of the folder (or every feed).
create or replace function public.mark_all_read(p_feed_id bigint default null, p_folder text default null)
returns table (undo_token uuid, marked integer)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  changed bigint[];
begin
  delete from public.read_marks where created_at < now() - interval '1 day';
  with done as (
    update public.articles a set is_read = true
    where not a.is_read
      and (p_feed_id is null or a.feed_id = p_feed_id)
      and (p_folder is null or a.feed_id in (select f.id from public.feeds f where f.folder = p_folder))
    returning a.id
  )
  select coalesce(array_agg(done.id), '{}') into changed from done;
  insert into public.read_marks (article_ids) values (changed) returning token into undo_token;
  marked := cardinality(changed);
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
  update public.articles set is_read = false where id = any (ids) and is_read;
  get diagnostics restored = row_count;
  return restored;
end
$$;

-- Hosted Supabase grants execute on new functions to anon and authenticated by default.
revoke all on function public.mark_all_read(bigint, text), public.undo_mark_read(uuid) from public, anon, authenticated;
grant execute on function public.mark_all_read(bigint, text), public.undo_mark_read(uuid) to service_role;
