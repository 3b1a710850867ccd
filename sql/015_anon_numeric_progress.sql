-- The anon key (public on hosted Supabase) reads a sync's numbers only. Until now it could read
-- `stage` ("Fetching feeds: <host>/<path>"), `stats` (the feeds in flight and the failed feeds with
-- their errors) and `error_summary`: feed names and paths, which can carry tokens. Those stay in the
-- row for main (service role), which shows them in the window; anon gets the same progress as
-- numbers, in generated columns, so every writer (older versions included) fills them.

-- The stage without its detail, as a short code. The labels are those of src/shared/sync-phase.ts;
-- a stage this does not know reads as null.
alter table public.sync_status add column if not exists phase text
  generated always as (
    case split_part(stage, ':', 1)
      when 'Starting' then 'starting'
      when 'Loading subscriptions' then 'loading'
      when 'Fetching feeds' then 'fetching'
      when 'Saving articles' then 'saving'
      when 'Finishing' then 'finishing'
      when 'Completed' then 'completed'
    end
  ) stored;

-- The counters of `stats` (SyncStats). A value that is not a number reads as null rather than
-- failing the status write.
alter table public.sync_status
  add column if not exists feeds_processed bigint generated always as (
    case when jsonb_typeof(stats #> '{feeds,processed}') = 'number' then (stats #>> '{feeds,processed}')::numeric::bigint end) stored,
  add column if not exists feeds_total bigint generated always as (
    case when jsonb_typeof(stats #> '{feeds,total}') = 'number' then (stats #>> '{feeds,total}')::numeric::bigint end) stored,
  add column if not exists feeds_failed bigint generated always as (
    case when jsonb_typeof(stats #> '{feeds,failed}') = 'number' then (stats #>> '{feeds,failed}')::numeric::bigint end) stored,
  add column if not exists feeds_skipped bigint generated always as (
    case when jsonb_typeof(stats #> '{feeds,skipped}') = 'number' then (stats #>> '{feeds,skipped}')::numeric::bigint end) stored,
  add column if not exists articles_processed bigint generated always as (
    case when jsonb_typeof(stats #> '{articles,processed}') = 'number' then (stats #>> '{articles,processed}')::numeric::bigint end) stored,
  add column if not exists articles_total bigint generated always as (
    case when jsonb_typeof(stats #> '{articles,total}') = 'number' then (stats #>> '{articles,total}')::numeric::bigint end) stored,
  add column if not exists articles_new bigint generated always as (
    case when jsonb_typeof(stats #> '{articles,new}') = 'number' then (stats #>> '{articles,new}')::numeric::bigint end) stored;

-- Revoking the table's privileges also revokes every column privilege (sql/007 granted some).
revoke all on public.sync_status from anon, authenticated;
grant select (
  sync_id, status, progress, type, start_time, last_update, finished_at, created_at,
  phase, feeds_processed, feeds_total, feeds_failed, feeds_skipped, articles_processed, articles_total, articles_new
) on public.sync_status to anon, authenticated;
