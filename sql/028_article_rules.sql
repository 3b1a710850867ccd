-- Rules (per feed, or global with feed_id null): mark read, star or hide an article whose title,
-- author or text matches any of some words or a regular expression. They run in the database, in
-- the statement trigger that makes each new article's state row, so they apply to every way an
-- article arrives (a feed, an account) and a rule's mark is an UPDATE of article_state like any
-- other: the counters stay exact and an account's mark goes to its server through the outbox.
-- Postgres's regex engine, not JavaScript's, runs the patterns: it is a DFA-based engine without
-- exponential backtracking (a catastrophic JS pattern such as (a+)+$ is linear here), patterns are
-- bounded to 200 characters and back-references (the one construct that backtracks) are refused.

-- Hidden: stored (a re-sync finds it and leaves it alone, as it never touches state) but not listed
-- and not counted unread.
alter table public.article_state add column if not exists is_hidden boolean not null default false;

create table if not exists public.article_rules (
  id         bigint generated always as identity primary key,
  feed_id    bigint references public.feeds (id) on delete cascade,
  field      text not null check (field in ('title', 'author', 'text', 'any')),
  match      text not null check (match in ('words', 'pattern')),
  value      text not null check (char_length(value) between 1 and 200),
  action     text not null check (action in ('read', 'star', 'hide')),
  -- What the rule matches with (~*, case-insensitive). Words: any of them, whole (split on spaces
  -- and commas, each escaped), between non-word characters or the text's ends.
  regex      text generated always as (
    case when match = 'pattern' then value
    else '(^|[^[:alnum:]_])(' || replace(
      regexp_replace(btrim(regexp_replace(value, '[\s,]+', ' ', 'g')), '([\[\]\\.^$*+?(){}|])', '\\\1', 'g'),
      ' ', '|') || ')($|[^[:alnum:]_])'
    end
  ) stored,
  created_at timestamptz not null default now(),
  constraint article_rules_words check (match <> 'words' or value ~ '[^\s,]'),
  constraint article_rules_no_backrefs check (match <> 'pattern' or value !~ '\\[1-9]'),
  -- Compiles the expression: an invalid one fails the insert (SQLSTATE 2201B) with Postgres's reason.
  constraint article_rules_valid_regex check (('' ~* regex) is not null)
);
create index if not exists article_rules_feed_idx on public.article_rules (feed_id);

alter table public.article_rules enable row level security;
drop policy if exists "Service role has full access to article_rules" on public.article_rules;
create policy "Service role has full access to article_rules" on public.article_rules for all to service_role
  using (auth.role() = 'service_role') with check (auth.role() = 'service_role');
-- Hosted Supabase's default privileges grant every new table to anon and authenticated.
revoke all on public.article_rules from anon, authenticated;
grant all on public.article_rules to service_role;

-- An article's text as rules see it: the body (else the summary) without tags, its first 50 000
-- characters (enough for any article, and a bound on the work per rule). Made once per article,
-- whatever the number of rules.
create or replace function public.article_rule_text(p_content text, p_summary text)
returns text
language sql
immutable
parallel safe
as $$ select regexp_replace(left(coalesce(p_content, p_summary, ''), 50000), '<[^>]*>', ' ', 'g') $$;

-- Whether a rule matches an article (p_text: article_rule_text's).
create or replace function public.article_rule_matches(
  p_field text, p_regex text, p_title text, p_author text, p_text text
)
returns boolean
language sql
immutable
parallel safe
as $$
  select case p_field
    when 'title' then coalesce(p_title, '') ~* p_regex
    when 'author' then coalesce(p_author, '') ~* p_regex
    when 'text' then coalesce(p_text, '') ~* p_regex
    else (coalesce(p_title, '') || E'\n' || coalesce(p_author, '') || E'\n' || coalesce(p_text, '')) ~* p_regex
  end
$$;

-- New articles get their state row (sql/023), then the rules' marks, as one UPDATE of the rows that
-- change: its statement triggers keep the counters and queue an account's marks. With no rule the
-- extra work is one probe of an empty table.
create or replace function public.articles_add_state()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
declare
  need_text boolean;
begin
  insert into public.article_state (article_id, feed_id, is_read, is_starred)
    select n.id, n.feed_id, coalesce(n.remote_read, false), coalesce(n.remote_starred, false) from new_rows n;
  if exists (select 1 from public.article_rules) then
    need_text := exists (select 1 from public.article_rules where field in ('text', 'any'));
    update public.article_state s
      set is_read = s.is_read or h.to_read,
          is_starred = s.is_starred or h.to_star,
          is_hidden = s.is_hidden or h.to_hide
    from (
      select n.id,
        bool_or(r.action = 'read') as to_read,
        bool_or(r.action = 'star') as to_star,
        bool_or(r.action = 'hide') as to_hide
      from (
        select n.id, n.feed_id, n.title, n.author,
          case when need_text then public.article_rule_text(n.content, n.summary) end as body
        from new_rows n
      ) n
      join public.article_rules r on r.feed_id is null or r.feed_id = n.feed_id
      where public.article_rule_matches(r.field, r.regex, n.title, n.author, n.body)
      group by n.id
    ) h
    where s.article_id = h.id
      and ((h.to_read and not s.is_read) or (h.to_star and not s.is_starred) or (h.to_hide and not s.is_hidden));
  end if;
  return null;
end
$$;

-- The counters (sql/023) count what the list shows unread: a hidden article is not.
create or replace function public.article_state_count()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.feed_counts as c (feed_id, unread)
      select n.feed_id, count(*) filter (where not (n.is_read or n.is_hidden)) from new_rows n group by n.feed_id order by n.feed_id
      on conflict (feed_id) do update set unread = c.unread + excluded.unread;
  elsif tg_op = 'DELETE' then
    update public.feed_counts c set unread = c.unread - d.gone
      from (select o.feed_id, count(*) as gone from old_rows o where not (o.is_read or o.is_hidden) group by o.feed_id) d
      where c.feed_id = d.feed_id and d.gone > 0;
  else
    insert into public.feed_counts as c (feed_id, unread)
      select d.feed_id, sum(d.delta) from (
        select n.feed_id, 1 as delta from new_rows n where not (n.is_read or n.is_hidden)
        union all
        select o.feed_id, -1 from old_rows o where not (o.is_read or o.is_hidden)
      ) d
      group by d.feed_id having sum(d.delta) <> 0 order by d.feed_id
      on conflict (feed_id) do update set unread = c.unread + excluded.unread;
  end if;
  return null;
end
$$;

update public.feed_counts c set unread = coalesce(t.unread, 0)
  from (
    select f.id, count(s.article_id) filter (where not (s.is_read or s.is_hidden)) as unread
    from public.feeds f left join public.article_state s on s.feed_id = f.id
    group by f.id
  ) t
  where t.id = c.feed_id and c.unread is distinct from t.unread;

-- A new rule, once, on the articles already stored in its scope: the number of articles it changed
-- (null for an unknown rule). Hidden articles are not marked read or starred (nobody sees them).
create or replace function public.apply_rule(p_rule_id bigint)
returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  r public.article_rules;
  changed integer;
begin
  select * into r from public.article_rules where id = p_rule_id;
  if not found then
    return null;
  end if;
  update public.article_state s
    set is_read = s.is_read or r.action = 'read',
        is_starred = s.is_starred or r.action = 'star',
        is_hidden = s.is_hidden or r.action = 'hide'
  from public.articles a
  where a.id = s.article_id
    and (r.feed_id is null or s.feed_id = r.feed_id)
    and case r.action when 'read' then not (s.is_read or s.is_hidden)
                      when 'star' then not (s.is_starred or s.is_hidden)
                      else not s.is_hidden end
    and public.article_rule_matches(r.field, r.regex, a.title, a.author,
      case when r.field in ('text', 'any') then public.article_rule_text(a.content, a.summary) end);
  get diagnostics changed = row_count;
  return changed;
end
$$;

-- Mark all read (sql/023) with an optional age: only articles dated before p_older_than. Hidden
-- articles are left as they are (not listed, so not what the user asked to mark).
drop function if exists public.mark_all_read(bigint, text);
create or replace function public.mark_all_read(
  p_feed_id bigint default null,
  p_folder text default null,
  p_older_than timestamptz default null
)
returns table (undo_token uuid, marked integer)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  scope bigint[];
begin
  delete from public.read_marks where created_at < now() - interval '1 day';
  select coalesce(array_agg(f.id), '{}') into scope from public.feeds f
    where (p_feed_id is null or f.id = p_feed_id) and (p_folder is null or f.folder = p_folder);
  if p_older_than is null then
    with done as (
      update public.article_state s set is_read = true
      where s.feed_id = any (scope) and not s.is_read and not s.is_hidden
      returning s.article_id
    )
    insert into public.read_marks (article_ids)
      select coalesce(array_agg(done.article_id), '{}') from done
      returning token, cardinality(article_ids) into undo_token, marked;
  else
    with done as (
      update public.article_state s set is_read = true
      from public.articles a
      where a.id = s.article_id and s.feed_id = any (scope) and not s.is_read and not s.is_hidden
        and a.published_at < p_older_than
      returning s.article_id
    )
    insert into public.read_marks (article_ids)
      select coalesce(array_agg(done.article_id), '{}') from done
      returning token, cardinality(article_ids) into undo_token, marked;
  end if;
  return next;
end
$$;

-- Hosted Supabase grants execute on new functions to anon and authenticated by default.
revoke all on function public.mark_all_read(bigint, text, timestamptz), public.apply_rule(bigint),
  public.article_rule_matches(text, text, text, text, text),
  public.article_rule_text(text, text) from public, anon, authenticated;
grant execute on function public.mark_all_read(bigint, text, timestamptz), public.apply_rule(bigint),
  public.article_rule_matches(text, text, text, text, text),
  public.article_rule_text(text, text) to service_role;
revoke all on function public.articles_add_state(), public.article_state_count()
  from public, anon, authenticated, service_role;
