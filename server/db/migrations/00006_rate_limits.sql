-- Per-credential request counters in fixed one-minute windows, kept in PostgreSQL so that the limit
-- holds across BFF instances (DESIGN §4). Old windows are deleted as new ones open.
create table rate_limits (
  credential text not null,
  window_start timestamptz not null,
  count integer not null check (count > 0),
  primary key (credential, window_start)
);
