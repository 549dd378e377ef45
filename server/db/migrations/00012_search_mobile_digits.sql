-- Customer search finds a mobile number however staff type it: "07282227078" for a number stored as
-- "07282 227078", "07719 258900" for "+44 7719 258900". The search text now ends with the mobile's
-- digits alone; a query that looks like a phone number is matched by its digits without the leading
-- 0 or + (server/data/customers.ts), which those digits contain whatever the format or country prefix.
-- PostgreSQL 15 cannot change a generated column's expression: the column and its index are rebuilt.
drop index customers_search;
alter table customers drop column search;
alter table customers add column search text generated always as (
  lower(firstname || ' ' || lastname || ' ' || email || ' ' || coalesce(mobile, ''))
    || ' ' || regexp_replace(coalesce(mobile, ''), '[^0-9]', '', 'g')
) stored;
create index customers_search on customers using gin (search gin_trgm_ops);
