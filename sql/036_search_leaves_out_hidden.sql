-- Search leaves out what a rule hid (sql/028), as the list and the counts do: hidden means gone
-- from view, not findable again by a word of it. The hidden are few: a partial index of their
-- own lets the search read just those (a hashed anti-join), not a row of state per match.
create index if not exists article_state_hidden_idx on public.article_state (article_id) where is_hidden;

-- search_articles as sql/031 made it, with hidden articles left out. Same arguments and grants.
create or replace function public.search_articles(
  query text,
  result_limit integer default 20,
  result_offset integer default 0,
  scope_feed_id bigint default null,
  scope_folder text default null
)
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
      and (scope_feed_id is null or a.feed_id = scope_feed_id)
      and (scope_folder is null or a.feed_id in (select f.id from public.feeds f where f.folder = scope_folder))
      -- A rule hid it: neither listed, counted nor found.
      and a.id not in (select s.article_id from public.article_state s where s.is_hidden)
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

revoke all on function public.search_articles(text, integer, integer, bigint, text) from public, anon, authenticated;
grant execute on function public.search_articles(text, integer, integer, bigint, text) to service_role;
