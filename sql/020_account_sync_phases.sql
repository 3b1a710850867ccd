-- An account's sync has stages of its own (src/shared/sync-phase.ts): their codes for the anon
-- read. The stage text starts with the label but may go on without a colon ("Signing in to
-- FreshRSS", "Sending 15 read marks"), so the code is taken from the label the text starts with.
alter table public.sync_status drop column if exists phase;
alter table public.sync_status add column phase text
  generated always as (
    case
      when stage = 'Starting' or stage like 'Starting:%' then 'starting'
      when stage like 'Loading subscriptions%' then 'loading'
      when stage like 'Fetching feeds%' then 'fetching'
      when stage like 'Signing in%' then 'signing-in'
      when stage like 'Fetching subscriptions%' then 'subscriptions'
      when stage like 'Fetching articles%' then 'articles'
      when stage like 'Sending%' then 'sending'
      when stage like 'Fetching read and starred state%' then 'state'
      when stage like 'Saving articles%' then 'saving'
      when stage like 'Finishing%' then 'finishing'
      when stage like 'Completed%' then 'completed'
    end
  ) stored;

-- Dropping the column dropped its column grant (sql/015): give it back.
grant select (phase) on public.sync_status to anon, authenticated;
