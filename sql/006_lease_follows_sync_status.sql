-- A lease whose sync has already ended (completed, failed, or marked interrupted because its
-- owner died) protects nothing: let the next instance take it at once instead of waiting out
-- the TTL. Same signature as in 004, so callers do not change.
create or replace function public.acquire_sync_lease(p_holder text, p_sync_id text, p_ttl_seconds integer default 120)
returns table (holder text, sync_id text, expires_at timestamptz)
language sql volatile
set search_path = public
as $$
  insert into public.sync_lease as l (name, holder, sync_id, expires_at)
  values ('sync', p_holder, p_sync_id, now() + make_interval(secs => p_ttl_seconds))
  on conflict (name) do update
    set holder = excluded.holder, sync_id = excluded.sync_id, expires_at = excluded.expires_at
    where l.holder = excluded.holder
       or l.expires_at < now()
       or exists (
         select 1 from public.sync_status s
         where s.sync_id = l.sync_id and s.status in ('completed', 'failed', 'interrupted')
       );
  select l.holder, l.sync_id, l.expires_at from public.sync_lease l where l.name = 'sync';
$$;

revoke execute on function public.acquire_sync_lease(text, text, integer) from public, anon, authenticated;
grant execute on function public.acquire_sync_lease(text, text, integer) to service_role;
