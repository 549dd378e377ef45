-- Access paths of the credits ledger engine (issue 3): filtered ledger pages newest first, the
-- credit-usage summary, cancellations finding their booking's entries, and the periodic jobs.
-- Every index of a tenant-facing path leads with tenant_id (DESIGN §1); the two job indexes are
-- cross-tenant by nature and partial, so they stay small.

-- The summary aggregates a pass's ledger in entry order; with type, delta, cycle and occurred_at in
-- the index it is an index-only scan once the visibility map is set.
create index credit_ledger_summary on credit_ledger (tenant_id, pass_id, entry_no)
  include (type, delta, cycle, occurred_at, balance_after);

-- "Credits used to book sessions", "Added by free cancellations", … pages newest first.
create index credit_ledger_by_pass_type on credit_ledger (tenant_id, pass_id, type, entry_no);
-- The cycle picker of a subscription.
create index credit_ledger_by_pass_cycle on credit_ledger (tenant_id, pass_id, cycle, entry_no)
  where cycle is not null;
-- The entries of one booking (what a cancellation gives back).
create index credit_ledger_by_booking on credit_ledger (tenant_id, booking_id) where booking_id is not null;

-- The expiry job: passes past their expiry that still hold credits (an `expired` pass can hold some
-- again after a waived late cancellation put a credit back).
create index passes_credits_to_expire on passes (expires_at)
  where status in ('active', 'expired') and credits_left > 0;
-- The renewal job: subscriptions whose next billing moment has come.
create index passes_to_renew on passes (next_billing_at)
  where status = 'active' and current_cycle is not null;
