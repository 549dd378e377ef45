-- Coupons and waivers (issue 4). The rules live in server/domain/coupons.ts and waivers.ts; these
-- constraints make the database refuse what the rules never write, as credit_ledger refuses a manual
-- entry without a reason.

-- A removed coupon says who removed it and why (a reason of at least 5 characters).
alter table customer_coupons add constraint customer_coupons_removal_explained
  check (status <> 'removed' or (removed_by is not null and length(trim(removed_reason)) >= 5));

-- A reason given when adding (a courtesy needs one) is a real one.
alter table customer_coupons add constraint customer_coupons_reason_given
  check (reason is null or length(trim(reason)) >= 5);

-- The coupons in force on a customer (the coupon manager, the detail aggregate, "not already active").
create index customer_coupons_active on customer_coupons (tenant_id, customer_id, coupon_id)
  include (expires_at) where status = 'active';
