-- The customer detail page lists the other live records under the same email (seed 000, "Customer has
-- multiple records"). Under row-level security (00007) a condition on lower(email) cannot use the
-- index customers_by_email (00004): lower() is not leakproof, so PostgreSQL must apply the tenant
-- policy first and would read every customer of the studio on each page view. This function looks the
-- records up as the tables' owner, through the index, and answers only for the studio the request's
-- transaction is set to (app.tenant) — or, outside row-level security (no app.tenant), for the studio
-- named — so it widens no one's view.
create function customers_sharing_email(p_tenant text, p_email text)
returns table (id text, firstname text, lastname text, email text, is_guest boolean, archived boolean,
  linked_profile_id text, created_at timestamptz)
language sql stable security definer set search_path = public, pg_temp
as $$
  select c.id, c.firstname, c.lastname, c.email, c.is_guest, c.archived, c.linked_profile_id, c.created_at
  from customers c
  where c.tenant_id = p_tenant and p_tenant = coalesce(current_setting('app.tenant', true), p_tenant)
    and lower(c.email) = lower(p_email) and c.deleted_at is null
$$;
