-- The list's optional thumbnail (Settings → Reading, off by default): written by main with each
-- row (src/core/storage/article-thumbnail.ts), like the snippet. Rows stored before keep their Media
-- RSS thumbnail; their first body image comes with the next save of the item.
alter table public.articles add column if not exists thumbnail text;

update public.articles
   set thumbnail = media ->> 'thumbnail'
 where thumbnail is null
   and media ->> 'thumbnail' is not null;
