-- One sync at a time across every app instance sharing this project: a lease row with expiry,
-- so a crashed holder blocks others only until its lease runs out.
create table if not exists public.sync_lease (
  name        text primary key,
  holder      text not null,
  sync_id     text,
  expires_at  timestamptz not null
);
alter table public.sync_lease enable row level security;
drop policy if exists "Service role has full access to sync_lease" on public.sync_lease;
create policy "Service role has full access to sync_lease" on public.sync_lease for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
revoke all on public.sync_lease from anon, authenticated;
grant all on public.sync_lease to service_role;

-- Take (or renew) the lease. Returns the current holder row: the caller holds it when holder = p_holder.
create or replace function public.acquire_sync_lease(p_holder text, p_sync_id text, p_ttl_seconds integer default 120)
returns table (holder text, sync_id text, expires_at timestamptz)
language sql volatile
set search_path = public
as $$
  insert into public.sync_lease as l (name, holder, sync_id, expires_at)
  values ('sync', p_holder, p_sync_id, now() + make_interval(secs => p_ttl_seconds))
  on conflict (name) do update
    set holder = excluded.holder, sync_id = excluded.sync_id, expires_at = excluded.expires_at
    where l.holder = excluded.holder or l.expires_at < now();
  select l.holder, l.sync_id, l.expires_at from public.sync_lease l where l.name = 'sync';
$$;

create or replace function public.release_sync_lease(p_holder text)
returns boolean
language sql volatile
set search_path = public
as $$
  with gone as (delete from public.sync_lease where name = 'sync' and holder = p_holder returning 1)
  select exists (select 1 from gone)
$$;

revoke execute on function public.acquire_sync_lease(text, text, integer) from public, anon, authenticated;
revoke execute on function public.release_sync_lease(text) from public, anon, authenticated;
grant execute on function public.acquire_sync_lease(text, text, integer) to service_role;
grant execute on function public.release_sync_lease(text) to service_role;
