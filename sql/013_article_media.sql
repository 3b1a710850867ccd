-- Podcast enclosures and Media RSS (thumbnail, description) of an article, as the sync parsed
-- them: {"enclosures": [{"url", "type", "length"}], "thumbnail", "description"}. Null when the
-- item has none. Read through the service role only, like every other articles column.
alter table public.articles add column if not exists media jsonb;
