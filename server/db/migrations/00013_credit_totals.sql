-- What each pass's ledger adds up to, kept as it is written: per pass, cycle (0 for none) and entry
-- type, the sum of the entries that added credits (`credit`) and of those that took some (`debit`,
-- negative). The credit-usage summary and a pass's credits_total read these few rows instead of
-- aggregating the whole ledger on every request (a 10,000-entry pass: 5–8 ms a summary before).
-- A trigger keeps them, one statement at a time, for every writer: the API, the jobs, the seeder's
-- bulk inserts. The ledger is append-only (00001), so inserts are all there is to add up; verify()
-- checks that the totals equal the ledger. Applying it locks passes and credit_ledger for the backfill
-- (about 3 s for 560,000 entries): a large live database should apply it in a quiet window.
create table credit_totals (
  tenant_id text not null,
  pass_id text not null,
  cycle integer not null check (cycle >= 0),
  type text not null,
  credit integer not null check (credit >= 0),
  debit integer not null check (debit <= 0),
  primary key (tenant_id, pass_id, cycle, type),
  foreign key (tenant_id, pass_id) references passes (tenant_id, id)
);

insert into credit_totals (tenant_id, pass_id, cycle, type, credit, debit)
select tenant_id, pass_id, coalesce(cycle, 0), type,
  coalesce(sum(delta) filter (where delta > 0), 0), coalesce(sum(delta) filter (where delta < 0), 0)
from credit_ledger
group by tenant_id, pass_id, coalesce(cycle, 0), type;

create function credit_totals_add() returns trigger language plpgsql as $$
begin
  -- In key order, so that two statements adding to the same passes take their row locks alike.
  insert into credit_totals (tenant_id, pass_id, cycle, type, credit, debit)
  select tenant_id, pass_id, coalesce(cycle, 0), type,
    coalesce(sum(delta) filter (where delta > 0), 0), coalesce(sum(delta) filter (where delta < 0), 0)
  from added
  group by tenant_id, pass_id, coalesce(cycle, 0), type
  order by tenant_id, pass_id, coalesce(cycle, 0), type
  on conflict (tenant_id, pass_id, cycle, type) do update
    set credit = credit_totals.credit + excluded.credit, debit = credit_totals.debit + excluded.debit;
  return null;
end $$;
create trigger credit_totals_add after insert on credit_ledger
  referencing new table as added for each statement execute function credit_totals_add();

-- The app role reads the totals and adds to them only through the ledger: the trigger runs as the owner
-- (the ledger's own row-level security has checked the studio by then), and ck_app may not write them.
alter function credit_totals_add() security definer set search_path = pg_catalog, public;
revoke insert, update, delete, truncate on credit_totals from ck_app;

alter table credit_totals enable row level security;
create policy tenant_isolation on credit_totals
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));
