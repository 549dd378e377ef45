-- API requests run as ck_app (00007), which was granted every write on every table. Narrowed here to
-- what requests do (DESIGN §4, defence in depth: a flaw in a route then cannot rewrite history or
-- credentials).

-- The audit log and the activity feed are append-only for everyone, as the ledger is (00001): the
-- record of who changed what and why is never edited, nor taken back.
create function append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only (% refused)', tg_table_name, tg_op using errcode = 'restrict_violation';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function append_only();
create trigger activity_append_only before update or delete on activity
  for each row execute function append_only();

-- Studios, staff and API keys change through the command line and the seed, which run as the owner
-- (as does authentication, which notes a key's last use).
revoke insert, update, delete on tenants, staff, api_keys from ck_app;
-- A request mints a session or revokes one; the owner's housekeeping deletes the old ones.
revoke update, delete on embed_sessions from ck_app;
grant update (revoked_at) on embed_sessions to ck_app;

-- 00008's lookup answered, with no studio set, for whichever studio it was named: as every policy does,
-- it now answers only for the studio the transaction is set to, and only the app role (and the owner)
-- may call it at all.
create or replace function customers_sharing_email(p_tenant text, p_email text)
returns table (id text, firstname text, lastname text, email text, is_guest boolean, archived boolean,
  linked_profile_id text, created_at timestamptz)
language sql stable security definer set search_path = public, pg_temp
as $$
  select c.id, c.firstname, c.lastname, c.email, c.is_guest, c.archived, c.linked_profile_id, c.created_at
  from customers c
  where c.tenant_id = p_tenant and p_tenant = current_setting('app.tenant', true)
    and lower(c.email) = lower(p_email) and c.deleted_at is null
$$;
revoke execute on function customers_sharing_email(text, text) from public;
grant execute on function customers_sharing_email(text, text) to ck_app;
