-- A one-line snippet for the article list, so the list never has to fetch whole bodies: the
-- start of the body with scripts, styles and tags removed and whitespace collapsed (entities are
-- decoded by main when it reads the row).
alter table public.articles add column if not exists snippet text generated always as (
  left(btrim(regexp_replace(regexp_replace(regexp_replace(left(coalesce(content, summary, ''), 20000),
    '<{1,1}?(script|style)\M.*?</(script|style)\s*>', ' ', 'gi'), '<[^>]*>', ' ', 'g'), '\s+', ' ', 'g')), 300)
) stored;
