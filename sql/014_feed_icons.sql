-- Favicons, one row per site origin (scheme://host[:port]) and shared by every feed on that site:
-- the sync looks an origin up once and keeps the answer — an icon for 30 days, a miss (no icon,
-- not an image, unreachable) for 7 — so a site without an icon is not asked again on every sync.
-- The image is kept as base64 text, not bytea: PostgREST hands text back as is, bytea hex-escaped.
-- Only the raster types the sync recognised from the bytes themselves are stored (never SVG, which
-- can carry script); a failed refresh keeps the previous icon and records the error beside it.
create table if not exists public.feed_icons (
  origin       text primary key check (origin ~ '^https?://[^/?#@]+$'),
  content_type text check (content_type in ('image/png', 'image/x-icon', 'image/gif', 'image/jpeg', 'image/webp')),
  -- 100 KiB of image is at most 136 536 base64 characters.
  data         text check (length(data) <= 140000),
  error        text,
  fetched_at   timestamptz not null default now(),
  check ((content_type is null) = (data is null))
);

-- Which sites the user reads says as much as the feeds themselves: main's alone, like feeds (sql/007).
alter table public.feed_icons enable row level security;
drop policy if exists "Service role has full access to feed_icons" on public.feed_icons;
create policy "Service role has full access to feed_icons" on public.feed_icons for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
revoke all on public.feed_icons from anon, authenticated;
grant all on public.feed_icons to service_role;
