-- The rows one change writes share its transaction's now(), so ordering by time then by id put them
-- in the order of their random ids: a renewal's "3 credits expired" could read after "4 rolled over".
-- A sequence numbers rows as they are written and breaks ties in time; the feed's keyset key is
-- (occurred_at, seq). Applying it rewrites the activity table (about 10 s for 1.3 million rows).
alter table activity add column seq bigint generated always as identity;
drop index activity_by_customer;
create index activity_by_customer on activity (tenant_id, customer_id, occurred_at desc, seq desc);
