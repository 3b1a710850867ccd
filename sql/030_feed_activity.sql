-- How active each feed is, for the Manage feeds table: articles per week over the last p_weeks
-- weeks (by publication date) and the newest article's date. Every feed has a row, one with no
-- articles too (0, null). A date in the future counts as now: a feed's clock error must not make it
-- look more active than it is. Articles deleted by retention (sql/025) no longer count.
-- Names the feeds the user reads: main's alone, like the feeds table.
create or replace function public.feed_activity(p_weeks integer default 12)
returns table (feed_id bigint, articles_per_week numeric, last_article_at timestamptz)
language sql stable
set search_path = public, pg_temp
as $$
  select f.id,
         round(
           count(a.id) filter (where a.published_at > now() - make_interval(weeks => greatest(p_weeks, 1)))
             / greatest(p_weeks, 1)::numeric,
           1
         ),
         -- least() skips nulls: a feed without articles must stay null, not now.
         case when count(a.id) = 0 then null else least(max(a.published_at), now()) end
  from public.feeds f
  left join public.articles a on a.feed_id = f.id
  group by f.id
  order by f.id
$$;

revoke execute on function public.feed_activity(integer) from public, anon, authenticated;
grant execute on function public.feed_activity(integer) to service_role;
