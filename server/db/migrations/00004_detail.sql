-- Access paths of the customer detail page (issue 5). Every index leads with tenant_id (DESIGN §1).

-- "Customer has multiple records" (seed 000): the detail aggregate lists the other live records under
-- the same email, guests included — which the unique index on emails (full profiles only) cannot serve.
create index customers_by_email on customers (tenant_id, lower(email)) where deleted_at is null;
