-- Retention goes by a row's last update, not its creation: a sync that runs for more than 24 h
-- heartbeats its row (last_update, written by its owner every 5 s) and must keep it, while a row
-- nobody has written for 24 h goes. created_at (the database's clock) is a floor: a row written by an
-- owner whose clock runs behind still lives 24 h from its creation. Same signature as in 002.
create or replace function public.cleanup_sync_status(max_age interval default interval '24 hours')
returns integer
language sql volatile
set search_path = public
as $$
  with gone as (
    delete from public.sync_status
    where greatest(last_update, created_at) < now() - max_age
    returning 1
  )
  select count(*)::integer from gone
$$;

revoke execute on function public.cleanup_sync_status(interval) from public, anon, authenticated;
grant execute on function public.cleanup_sync_status(interval) to service_role;
