-- Mark all read and its undo, a chunk at a time (sql/010 did each in one statement: 100 000
-- articles took 3-7 s on a busy machine, past the client's 5 s cap per request, so the request
-- failed while the database went on). The client calls again until a chunk comes back short:
--   mark_all_read(scope, p_token, p_after, p_limit) marks up to p_limit unread articles with an id
--     above p_after, adds them to the token's rows (a new token when p_token is null) and returns
--     the last id done; without p_limit it marks everything at once, as before.
--   undo_mark_read(p_token, p_limit) makes up to p_limit of the token's rows unread again and says
--     how many are left; the token is gone once none are. No row for an unknown (or used) token.
drop function if exists public.mark_all_read(bigint, text);
drop function if exists public.undo_mark_read(uuid);

create or replace function public.mark_all_read(
  p_feed_id bigint default null,
  p_folder text default null,
  p_token uuid default null,
  p_after bigint default 0,
  p_limit integer default null
)
returns table (undo_token uuid, marked integer, last_id bigint)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  changed bigint[];
begin
  if p_token is null then
    delete from public.read_marks where created_at < now() - interval '1 day';
    insert into public.read_marks (article_ids) values ('{}') returning token into undo_token;
  else
    undo_token := p_token;
    perform 1 from public.read_marks where token = p_token for update;
    if not found then
      raise exception 'unknown mark-read token' using errcode = 'P0002';
    end if;
  end if;
  with picked as (
    select a.id from public.articles a
    where not a.is_read
      and a.id > p_after
      and (p_feed_id is null or a.feed_id = p_feed_id)
      and (p_folder is null or a.feed_id in (select f.id from public.feeds f where f.folder = p_folder))
    order by a.id
    limit p_limit
  ), done as (
    update public.articles a set is_read = true from picked where a.id = picked.id and not a.is_read returning a.id
  )
  select coalesce(array_agg(done.id order by done.id), '{}') into changed from done;
  update public.read_marks set article_ids = article_ids || changed where token = undo_token;
  marked := cardinality(changed);
  last_id := changed[marked];
  return next;
end
$$;

create or replace function public.undo_mark_read(p_token uuid, p_limit integer default null)
returns table (restored integer, remaining integer)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  ids bigint[];
  take integer;
begin
  select article_ids into ids from public.read_marks where token = p_token for update;
  if not found then
    return;
  end if;
  take := least(coalesce(p_limit, cardinality(ids)), cardinality(ids));
  update public.articles set is_read = false where id = any (ids[1:take]) and is_read;
  get diagnostics restored = row_count;
  remaining := cardinality(ids) - take;
  if remaining = 0 then
    delete from public.read_marks where token = p_token;
  else
    update public.read_marks set article_ids = ids[take + 1:] where token = p_token;
  end if;
  return next;
end
$$;

-- Hosted Supabase grants execute on new functions to anon and authenticated by default.
revoke all on function public.mark_all_read(bigint, text, uuid, bigint, integer), public.undo_mark_read(uuid, integer) from public, anon, authenticated;
grant execute on function public.mark_all_read(bigint, text, uuid, bigint, integer), public.undo_mark_read(uuid, integer) to service_role;
