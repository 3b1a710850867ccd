-- Full-text search over title, author and content, language-agnostic: the `simple` parser and
-- dictionary (no stemming: feeds come in every language) behind `unaccent`, so "cafe" finds
-- "café". unaccent ships with the embedded Postgres (and hosted Supabase); it goes in schema
-- `extensions`, as on Supabase, so its functions stay out of the API schema.
create schema if not exists extensions;
create extension if not exists unaccent schema extensions;
grant usage on schema extensions to service_role;

-- A configuration rather than an unaccent() wrapper: to_tsvector(regconfig, text) is immutable,
-- so it can feed a generated column, and ts_headline with the same configuration highlights
-- "café" for a search of "cafe".
do $$
begin
  if not exists (select 1 from pg_ts_config where cfgname = 'simple_unaccent' and cfgnamespace = 'public'::regnamespace) then
    create text search configuration public.simple_unaccent (copy = pg_catalog.simple);
    alter text search configuration public.simple_unaccent
      alter mapping for asciiword, asciihword, hword_asciipart, word, hword, hword_part with extensions.unaccent, pg_catalog.simple;
  end if;
end
$$;

-- Title weighs most, then author, then the body. The body is HTML: the parser reads tags and
-- entities as their own token types, which `simple` does not index; script and style blocks are
-- cut first (the leading `{1,1}?` makes the pattern non-greedy: one block per match). Capped so
-- one huge article cannot exceed a tsvector's 1 MB.
alter table public.articles add column if not exists search_vector tsvector generated always as (
  setweight(to_tsvector('public.simple_unaccent', coalesce(title, '')), 'A') ||
  setweight(to_tsvector('public.simple_unaccent', coalesce(author, '')), 'B') ||
  setweight(to_tsvector('public.simple_unaccent',
    regexp_replace(left(coalesce(content, summary, ''), 100000), '<{1,1}?(script|style)\M.*?</(script|style)\s*>', ' ', 'gi')), 'C')
) stored;

create index if not exists articles_search_idx on public.articles using gin (search_vector);

-- Ranked, highlighted results (websearch syntax: "quoted phrase", -excluded, or). Highlights are
-- computed for the returned page only, on text with the tags removed; matches are wrapped in
-- U+E000 … U+E001 (private-use characters, removed from the text first), which main turns into
-- plain-text segments: no markup ever reaches the renderer.
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
  select a.id, a.feed_id, a.title, a.url, a.author, a.published_at, a.is_read, a.is_starred, h.rank,
    ts_headline('public.simple_unaccent', translate(coalesce(a.title, ''), chr(57344) || chr(57345), ''), q.tsq, q.marks || ', HighlightAll=true'),
    ts_headline('public.simple_unaccent',
      translate(regexp_replace(regexp_replace(left(coalesce(a.content, a.summary, ''), 100000),
        '<{1,1}?(script|style)\M.*?</(script|style)\s*>', ' ', 'gi'), '<[^>]*>', ' ', 'g'), chr(57344) || chr(57345), ''),
      q.tsq, q.marks || ', MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "')
  from hits h join public.articles a on a.id = h.id, q
  order by h.rank desc, h.published_at desc, h.id desc
$$;

-- Hosted Supabase grants execute on new functions to anon and authenticated by default.
revoke all on function public.search_articles(text, integer, integer) from public, anon, authenticated;
grant execute on function public.search_articles(text, integer, integer) to service_role;
