-- A studio's embed origins are compared with the Origin header exactly, as browsers send it: scheme
-- and host in lower case, an optional port, no path. An entry written otherwise ('https://Portal.Example.com/')
-- matched no request, silently. Existing entries are brought to that form (one that has none, matching
-- nothing, goes); the check refuses any other (`npm run kit -- origins add` writes them so).
create function embed_origins_as_sent(origins text[]) returns boolean language sql immutable as $$
  select coalesce(bool_and(o ~ '^https?://([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$'), true)
  from unnest(origins) o
$$;

update tenants set embed_origins = array(
  select o from (
    select lower(substring(e from '^[A-Za-z]+://[^/?#]+')) as o, n
    from unnest(embed_origins) with ordinality as t(e, n)) x
  where embed_origins_as_sent(array[o]) group by o order by min(n))
where not embed_origins_as_sent(embed_origins);

alter table tenants add constraint embed_origins_as_sent check (embed_origins_as_sent(embed_origins));
