-- The complete data model (DESIGN §2). Every tenant-owned table leads its primary key with
-- tenant_id and references other tenant-owned rows through (tenant_id, id), so a row can never
-- point at another tenant's data, and the tables distribute by tenant unchanged.

create extension if not exists pg_trgm;

create table tenants (
  id text primary key check (id ~ '^biz_'),
  name text not null,
  currency char(3) not null default 'GBP' check (currency ~ '^[A-Z]{3}$'),
  timezone text not null default 'Europe/London',
  locale text not null default 'en-GB',
  embed_origins text[] not null default '{}',
  free_cancel_hours integer not null default 12 check (free_cancel_hours between 0 and 168),
  late_cancel_rule text not null default 'forfeit' check (late_cancel_rule in ('forfeit', 'fee')),
  guests_need_profile boolean not null default true,
  created_at timestamptz not null default now()
);

create table staff (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^staff_'),
  name text not null,
  email text not null,
  role text not null check (role in ('owner', 'manager', 'front_desk', 'instructor')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

create table api_keys (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^key_'),
  name text not null,
  secret_hash text not null unique,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);

create table customers (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^cust_'),
  firstname text not null check (length(firstname) between 1 and 100),
  lastname text not null check (length(lastname) between 1 and 100),
  email text not null check (length(email) between 3 and 254),
  mobile text check (length(mobile) <= 32),
  is_guest boolean not null default false,
  linked_profile_id text,
  archived boolean not null default false,
  deleted_at timestamptz,
  attribution jsonb,
  role_links jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1 check (version > 0),
  -- What customer search matches: name, email and mobile, lower-cased, in one trigram-indexed column.
  search text generated always as (
    lower(firstname || ' ' || lastname || ' ' || email || ' ' || coalesce(mobile, ''))
  ) stored,
  primary key (tenant_id, id),
  foreign key (tenant_id, linked_profile_id) references customers (tenant_id, id),
  check (linked_profile_id is null or is_guest)
);
create unique index customers_email_unique on customers (tenant_id, lower(email))
  where deleted_at is null and not is_guest;
create index customers_by_name on customers (tenant_id, lower(lastname), lower(firstname), id)
  where deleted_at is null;
create index customers_search on customers using gin (search gin_trgm_ops);
create index customers_linked_profile on customers (tenant_id, linked_profile_id)
  where linked_profile_id is not null;

create table embed_sessions (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^ses_'),
  token_hash text not null unique,
  staff_id text not null,
  capabilities text[] not null,
  customer_id text,
  origin text,
  created_by_key text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, staff_id) references staff (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, created_by_key) references api_keys (tenant_id, id),
  check (expires_at > created_at)
);

create table products (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^prod_'),
  name text not null,
  kind text not null check (kind in ('pass', 'membership', 'bundle', 'retail', 'gift_card', 'video')),
  -- Credits granted on purchase (or per cycle for memberships); null with a credit kind = unlimited.
  credits integer check (credits > 0),
  validity_days integer check (validity_days > 0),
  price integer not null check (price >= 0),
  class_types text[] not null default '{}',
  billing_cycle_days integer check (billing_cycle_days > 0),
  rollover_cap integer check (rollover_cap >= 0),
  intro_offer boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((kind = 'membership') = (billing_cycle_days is not null)),
  check (credits is null or kind in ('pass', 'membership', 'bundle'))
);

create table passes (
  tenant_id text not null,
  id text not null check (id ~ '^pass_'),
  customer_id text not null,
  product_id text not null,
  purchased_at timestamptz not null,
  channel text not null check (channel in ('online', 'offline', 'admin')),
  payment_status text not null check (payment_status in ('paid', 'pending', 'failed', 'refunded')),
  amount integer not null check (amount >= 0),
  starts_at timestamptz not null,
  expires_at timestamptz,
  status text not null check (status in ('active', 'expired', 'cancelled', 'refunded')),
  current_cycle integer check (current_cycle > 0),
  cycle_started_at timestamptz,
  next_billing_at timestamptz,
  -- Maintained together with credit_ledger, in the same transaction, under a row lock on the pass.
  credits_left integer check (credits_left >= 0),
  version integer not null default 1,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);
create index passes_by_customer on passes (tenant_id, customer_id, purchased_at desc);
create index passes_to_expire on passes (expires_at) where status = 'active' and credits_left > 0;

create table classes (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^cls_'),
  name text not null,
  class_type text not null,
  kind text not null default 'class' check (kind in ('class', 'appointment', 'course')),
  starts_at timestamptz not null,
  duration_minutes integer not null check (duration_minutes > 0),
  capacity integer not null check (capacity > 0),
  credit_cost integer not null default 1 check (credit_cost >= 0),
  facilitator text,
  location text,
  cancelled boolean not null default false,
  primary key (tenant_id, id)
);
create index classes_by_time on classes (tenant_id, starts_at);

create table bookings (
  tenant_id text not null,
  id text not null check (id ~ '^bk_'),
  customer_id text not null,
  class_id text not null,
  pass_id text,
  status text not null check (status in ('booked', 'attended', 'no_show', 'cancelled_free', 'cancelled_late')),
  credits_used integer not null default 0 check (credits_used >= 0),
  booked_at timestamptz not null,
  cancelled_at timestamptz,
  late_fee_waived boolean not null default false,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, class_id) references classes (tenant_id, id),
  foreign key (tenant_id, pass_id) references passes (tenant_id, id),
  check ((status like 'cancelled%') = (cancelled_at is not null))
);
-- A customer holds at most one live booking per class.
create unique index bookings_one_live_per_class on bookings (tenant_id, class_id, customer_id)
  where status in ('booked', 'attended', 'no_show');
create index bookings_by_customer on bookings (tenant_id, customer_id, booked_at desc);
create index bookings_by_class on bookings (tenant_id, class_id);

create table credit_ledger (
  tenant_id text not null,
  id text not null check (id ~ '^led_'),
  pass_id text not null,
  -- 1, 2, 3 … per pass: the order the balance chains in; unique, so two writers cannot both append
  -- entry n.
  entry_no integer not null check (entry_no > 0),
  type text not null check (type in ('grant', 'booking', 'free_cancellation', 'rollover', 'manual', 'expiry', 'void')),
  delta integer not null check (delta <> 0),
  balance_after integer not null check (balance_after >= 0),
  cycle integer check (cycle > 0),
  booking_id text,
  reason text,
  actor text,
  idempotency_key text,
  occurred_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, pass_id, entry_no),
  foreign key (tenant_id, pass_id) references passes (tenant_id, id),
  foreign key (tenant_id, booking_id) references bookings (tenant_id, id),
  check (type <> 'manual' or (length(trim(reason)) >= 5 and actor is not null)),
  check (type not in ('booking', 'free_cancellation') or booking_id is not null)
);
create index credit_ledger_by_pass_time on credit_ledger (tenant_id, pass_id, occurred_at);

-- The ledger is append-only: a mistake is corrected by a new entry, never by an edit.
create function credit_ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'credit_ledger is append-only (% refused)', tg_op using errcode = 'restrict_violation';
end $$;
create trigger credit_ledger_append_only before update or delete on credit_ledger
  for each row execute function credit_ledger_append_only();

create table coupons (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^cpn_'),
  code text not null,
  name text not null,
  percent_off integer check (percent_off between 1 and 100),
  amount_off integer check (amount_off > 0),
  duration text not null check (duration in ('once', 'repeating', 'forever')),
  duration_months integer check (duration_months > 0),
  valid_until timestamptz,
  max_redemptions integer check (max_redemptions > 0),
  stackable boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((percent_off is null) <> (amount_off is null)),
  check ((duration = 'repeating') = (duration_months is not null))
);
create unique index coupons_code_unique on coupons (tenant_id, lower(code));

create table customer_coupons (
  tenant_id text not null,
  id text not null check (id ~ '^ccpn_'),
  customer_id text not null,
  coupon_id text not null,
  status text not null check (status in ('active', 'redeemed', 'expired', 'removed')),
  added_by text not null,
  reason text,
  added_at timestamptz not null,
  expires_at timestamptz,
  uses_left integer check (uses_left >= 0),
  removed_at timestamptz,
  removed_by text,
  removed_reason text,
  version integer not null default 1,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, coupon_id) references coupons (tenant_id, id),
  check ((status = 'removed') = (removed_at is not null))
);
create index customer_coupons_by_customer on customer_coupons (tenant_id, customer_id, added_at desc);
create index customer_coupons_by_coupon on customer_coupons (tenant_id, coupon_id);

create table policies (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^pol_'),
  name text not null,
  kind text not null check (kind in ('waiver', 'terms', 'photo_consent', 'other')),
  required boolean not null,
  current_version integer not null check (current_version > 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

create table policy_versions (
  tenant_id text not null,
  policy_id text not null,
  version integer not null check (version > 0),
  title text not null,
  body text not null,
  published_at timestamptz not null,
  primary key (tenant_id, policy_id, version),
  foreign key (tenant_id, policy_id) references policies (tenant_id, id)
);

create table policy_acceptances (
  tenant_id text not null,
  id text not null check (id ~ '^acc_'),
  customer_id text not null,
  policy_id text not null,
  version integer not null,
  accepted_at timestamptz not null,
  method text not null check (method in ('in_person', 'paper', 'online')),
  recorded_by text,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, policy_id, version) references policy_versions (tenant_id, policy_id, version),
  unique (tenant_id, customer_id, policy_id, version)
);

create table emails (
  tenant_id text not null,
  id text not null check (id ~ '^email_'),
  customer_id text not null,
  subject text not null,
  template text not null,
  status text not null check (status in ('queued', 'sent', 'delivered', 'opened', 'bounced', 'failed')),
  sent_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index emails_by_customer on emails (tenant_id, customer_id, sent_at desc);

create table notes (
  tenant_id text not null,
  id text not null check (id ~ '^note_'),
  customer_id text not null,
  body text not null check (length(body) between 1 and 5000),
  author_id text,
  author_name text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index notes_by_customer on notes (tenant_id, customer_id, created_at desc);

create table activity (
  tenant_id text not null,
  id text not null check (id ~ '^act_'),
  customer_id text not null,
  type text not null check (type in (
    'customer_created', 'profile_edited', 'archived', 'unarchived', 'deleted',
    'booked', 'cancelled', 'attended', 'no_show', 'purchased', 'refunded', 'email',
    'credits_used', 'credits_added', 'credits_removed', 'credits_expired', 'credits_rolled_over',
    'expiry_changed', 'coupon_added', 'coupon_updated', 'coupon_removed', 'waiver_accepted', 'note_added'
  )),
  summary text not null,
  data jsonb not null default '{}',
  actor text,
  occurred_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index activity_by_customer on activity (tenant_id, customer_id, occurred_at desc, id desc);

create table audit_log (
  tenant_id text not null references tenants (id),
  id text not null check (id ~ '^aud_'),
  actor text not null,
  action text not null,
  target_type text not null,
  target_id text not null,
  customer_id text,
  before jsonb,
  after jsonb,
  reason text,
  at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id)
);
create index audit_log_by_customer on audit_log (tenant_id, customer_id, at desc);

create table idempotency_keys (
  tenant_id text not null references tenants (id),
  key text not null check (length(key) between 1 and 255),
  credential text not null,
  fingerprint text not null,
  state text not null check (state in ('running', 'done')),
  response_status integer,
  response_body text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, key)
);
create index idempotency_keys_by_age on idempotency_keys (created_at);
