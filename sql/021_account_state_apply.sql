-- apply_account_state compares thousands of server ids with the account's articles. Planned with
-- statistics taken while the account had no articles (an account removed and added again, a new
-- table analyzed by autovacuum), that comparison became a nested loop: 20 000 × 20 000 id
-- comparisons, minutes, while the sync gave up after 30 s. Hash joins do it in a fraction of a
-- second whatever the statistics say.
alter function public.apply_account_state(bigint, text[], text[]) set enable_nestloop = off;

-- A digest of the unread and starred ids last applied: the same sets again (nothing read or starred
-- anywhere since) need no comparison at all.
alter table public.accounts add column if not exists state_digest text;
