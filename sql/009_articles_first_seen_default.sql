-- An undated item is dated by the sync that first saw it, and keeps that date: a re-sync leaves
-- published_at out of its upsert. The insert half of an upsert still needs a value for the
-- column, which this default gives (the update half never uses it).
alter table public.articles alter column published_at set default now();
