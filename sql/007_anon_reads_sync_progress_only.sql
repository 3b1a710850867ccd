-- Least privilege for the anon key. It ships in the renderer (and on hosted Supabase it is a public
-- key), and the renderer reads one thing with it: a sync's progress while main cannot answer.
-- Everything else — feeds (whose URLs may carry tokens), articles, read/starred state — goes
-- through main with the service role. The `authenticated` role (Tidings has no user accounts)
-- gets the same narrow view.

-- The raw error can name feed URLs (with credentials in them): anon reads a copy with URLs masked.
alter table public.sync_status add column if not exists error_summary text
  generated always as (regexp_replace(error, '[a-z][a-z0-9+.-]*://[^[:space:]]+', '<url>', 'gi')) stored;

drop policy if exists "Anyone can read feeds" on public.feeds;
drop policy if exists "Anyone can read articles" on public.articles;
drop policy if exists "Anyone can mark articles read or starred" on public.articles;
revoke all on public.feeds, public.articles, public.feed_unread_counts, public.sync_lease from anon, authenticated;
-- Hosted Supabase's default privileges grant every new sequence to anon and authenticated.
revoke all on all sequences in schema public from anon, authenticated;

-- Only the columns the renderer shows: not `owner` (which instance runs it), not the raw `error`.
revoke all on public.sync_status from anon, authenticated;
grant select (sync_id, status, progress, stage, type, start_time, last_update, finished_at, error_summary, stats, created_at)
  on public.sync_status to anon, authenticated;

