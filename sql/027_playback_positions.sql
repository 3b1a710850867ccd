-- Where the listener is in each podcast episode (issue 20): the player resumes there after a
-- restart, and the Podcasts view shows an episode as new, partly played or played. One row per
-- article, written by main only; it goes with its article (retention's purge, an unsubscribe).
create table if not exists public.article_playback (
  article_id bigint primary key references public.articles (id) on delete cascade,
  position_s double precision not null check (position_s >= 0),
  -- The episode's length as the player last knew it (the enclosure's, then the file's own).
  duration_s double precision check (duration_s > 0),
  finished   boolean not null default false,
  updated_at timestamptz not null default now()
);

alter table public.article_playback enable row level security;
drop policy if exists "Service role has full access to article_playback" on public.article_playback;
create policy "Service role has full access to article_playback" on public.article_playback for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
-- Hosted Supabase's default privileges grant every new table to anon and authenticated.
revoke all on public.article_playback from anon, authenticated;
grant all on public.article_playback to service_role;

-- The Podcasts view: articles with an audio enclosure, by type or (untyped, octet-stream) by the
-- file's extension, as the window's player decides. A computed column PostgREST can filter on
-- (`has_audio=eq.true`); a plain SQL expression, so the planner inlines it and the partial index
-- below (the same expression) serves the view newest first without reading other articles.
create or replace function public.has_audio(public.articles)
returns boolean
language sql
immutable
as $$
  select coalesce(jsonb_path_exists($1.media, '$.enclosures[*] ? (@.type starts with "audio/" || ((@.type == null || !(@.type starts with "video/")) && @.url like_regex "\\.(mp3|m4a|aac|ogg|oga|opus|wav|flac)([?#]|$)" flag "i"))'), false)
$$;

create index if not exists articles_audio_published_idx on public.articles (published_at, id)
  where coalesce(jsonb_path_exists(media, '$.enclosures[*] ? (@.type starts with "audio/" || ((@.type == null || !(@.type starts with "video/")) && @.url like_regex "\\.(mp3|m4a|aac|ogg|oga|opus|wav|flac)([?#]|$)" flag "i"))'), false);

-- Like every articles column: main's (service role) alone.
revoke all on function public.has_audio(public.articles) from public, anon, authenticated;
grant execute on function public.has_audio(public.articles) to service_role;
