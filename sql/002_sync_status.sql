-- Progress of every sync, the database half of the dual write (the file under os.tmpdir() is the other).
create table if not exists public.sync_status (
  sync_id     text primary key check (sync_id ~ '^sync_[0-9a-z]{6,12}_[A-Za-z0-9_-]{22}$'),
  status      text not null check (status in ('pending', 'in_progress', 'completed', 'failed', 'interrupted')),
  progress    integer not null default 0 check (progress between 0 and 100),
  stage       text,
  type        text not null default 'incremental' check (type in ('full', 'incremental')),
  start_time  timestamptz not null default now(),
  last_update timestamptz not null default now(),
  finished_at timestamptz,
  error       text,
  stats       jsonb,
  owner       text,
  created_at  timestamptz not null default now()
);

create index if not exists sync_status_created_at_idx on public.sync_status (created_at desc);
create index if not exists sync_status_active_idx on public.sync_status (status) where status in ('pending', 'in_progress');

alter table public.sync_status enable row level security;

drop policy if exists "Service role has full access to sync_status" on public.sync_status;
create policy "Service role has full access to sync_status"
  on public.sync_status for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');

drop policy if exists "Authenticated and anon users can read sync_status" on public.sync_status;
create policy "Authenticated and anon users can read sync_status"
  on public.sync_status for select to anon, authenticated
  using (true);

revoke all on public.sync_status from anon, authenticated;
grant select on public.sync_status to anon, authenticated;
grant all on public.sync_status to service_role;

-- Retention: database rows live 24 h (files live 60 s after a sync ends). Callable over RPC.
create or replace function public.cleanup_sync_status(max_age interval default interval '24 hours')
returns integer
language sql volatile
set search_path = public
as $$
  with gone as (delete from public.sync_status where created_at < now() - max_age returning 1)
  select count(*)::integer from gone
$$;

revoke execute on function public.cleanup_sync_status(interval) from public, anon, authenticated;
grant execute on function public.cleanup_sync_status(interval) to service_role;
