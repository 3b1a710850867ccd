-- The snippet is written by main with each row (src/core/storage/article-snippet.ts): as a generated
-- column the database's regex engine spent a third of a sync's save time on it. Existing rows keep
-- their values (no rewrite). A row written without one (a hand-made insert, an older client) still
-- gets it here, with sql/012's expression; so does an edit of the body that leaves the snippet as it was.
alter table public.articles alter column snippet drop expression;

create or replace function public.fill_article_snippet()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  new.snippet := left(btrim(regexp_replace(regexp_replace(regexp_replace(left(coalesce(new.content, new.summary, ''), 20000),
    '<{1,1}?(script|style)\M.*?</(script|style)\s*>', ' ', 'gi'), '<[^>]*>', ' ', 'g'), '\s+', ' ', 'g')), 300);
  return new;
end
$$;

revoke execute on function public.fill_article_snippet() from public, anon, authenticated, service_role;

drop trigger if exists articles_snippet_on_insert on public.articles;
create trigger articles_snippet_on_insert
  before insert on public.articles
  for each row when (new.snippet is null)
  execute function public.fill_article_snippet();

drop trigger if exists articles_snippet_on_edit on public.articles;
create trigger articles_snippet_on_edit
  before update of content, summary on public.articles
  for each row when (
    new.snippet is not distinct from old.snippet
    and (new.content is distinct from old.content or new.summary is distinct from old.summary)
  )
  execute function public.fill_article_snippet();
