-- Keys that make the database itself refuse rows pointing at the wrong owner, which until now only
-- `verify` noticed: a booking paid with another customer's pass, a ledger entry naming a booking
-- made with another pass, and a policy whose current version does not exist.

alter table passes add constraint passes_customer_id_unique unique (tenant_id, customer_id, id);
alter table bookings add constraint bookings_pass_of_customer
  foreign key (tenant_id, customer_id, pass_id) references passes (tenant_id, customer_id, id);

alter table bookings add constraint bookings_pass_id_unique unique (tenant_id, id, pass_id);
alter table credit_ledger add constraint credit_ledger_booking_of_pass
  foreign key (tenant_id, booking_id, pass_id) references bookings (tenant_id, id, pass_id);

-- Deferred, so that a policy and its first version can be written in either order in one transaction.
alter table policies add constraint policies_current_version_exists
  foreign key (tenant_id, id, current_version) references policy_versions (tenant_id, policy_id, version)
  deferrable initially deferred;

alter table passes add constraint passes_version_positive check (version > 0);
alter table customers add constraint customers_not_linked_to_self check (linked_profile_id <> id);
