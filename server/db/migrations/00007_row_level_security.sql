-- Row-level security (DESIGN §4, defence in depth). API requests run in one transaction as the role
-- ck_app with `app.tenant` set to the credential's studio (server/http/tenant-transaction.ts); every
-- tenant-owned table then shows and accepts only that studio's rows, whatever a query forgets to
-- filter. Without the setting a query sees nothing. Migrations, jobs, seeding and the authentication
-- lookup run as the owning role, which RLS does not restrict.

-- Roles belong to the whole server, and test databases are created side by side: tolerate a twin.
do $$
begin
  create role ck_app nologin;
exception when duplicate_object or unique_violation then null;
end $$;

grant usage on schema public to ck_app;
grant select, insert, update, delete on all tables in schema public to ck_app;
revoke all on schema_migrations, rate_limits from ck_app;
alter default privileges in schema public grant select, insert, update, delete on tables to ck_app;

alter table tenants enable row level security;
create policy tenant_isolation on tenants
  using (id = current_setting('app.tenant', true));

alter table staff enable row level security;
create policy tenant_isolation on staff
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table api_keys enable row level security;
create policy tenant_isolation on api_keys
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table embed_sessions enable row level security;
create policy tenant_isolation on embed_sessions
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table customers enable row level security;
create policy tenant_isolation on customers
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table products enable row level security;
create policy tenant_isolation on products
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table passes enable row level security;
create policy tenant_isolation on passes
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table credit_ledger enable row level security;
create policy tenant_isolation on credit_ledger
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table classes enable row level security;
create policy tenant_isolation on classes
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table bookings enable row level security;
create policy tenant_isolation on bookings
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table coupons enable row level security;
create policy tenant_isolation on coupons
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table customer_coupons enable row level security;
create policy tenant_isolation on customer_coupons
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table policies enable row level security;
create policy tenant_isolation on policies
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table policy_versions enable row level security;
create policy tenant_isolation on policy_versions
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table policy_acceptances enable row level security;
create policy tenant_isolation on policy_acceptances
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table emails enable row level security;
create policy tenant_isolation on emails
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table notes enable row level security;
create policy tenant_isolation on notes
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table activity enable row level security;
create policy tenant_isolation on activity
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table audit_log enable row level security;
create policy tenant_isolation on audit_log
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));

alter table idempotency_keys enable row level security;
create policy tenant_isolation on idempotency_keys
  using (tenant_id = current_setting('app.tenant', true))
  with check (tenant_id = current_setting('app.tenant', true));
