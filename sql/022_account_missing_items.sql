-- Which of the server's item ids the account does not have here. The reading list is paged by
-- `ot=`, which FreshRSS reads as crawl time but Miniflux as publication date: an item a Miniflux
-- server crawls late with an older date never comes in a page. Its id does come among the unread
-- ids, so the sync asks for the ones it lacks by id. Hash joins whatever the statistics say (see
-- sql/021).
create or replace function public.account_missing_items(p_account_id bigint, p_ids text[])
returns setof text
language sql
stable
set search_path = public, pg_temp
set enable_nestloop = off
as $$
  select i.id from unnest(coalesce(p_ids, '{}')) as i (id)
  except
  select a.remote_id
  from public.articles a
  join public.feeds f on f.id = a.feed_id
  where f.account_id = p_account_id and a.remote_id is not null
$$;

revoke all on function public.account_missing_items(bigint, text[]) from public, anon, authenticated;
grant execute on function public.account_missing_items(bigint, text[]) to service_role;
