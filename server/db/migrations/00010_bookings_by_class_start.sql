-- A customer's bookings are listed by their class's start (GET /api/customer/{id}/bookings), a column
-- of another table: PostgreSQL had to join every booking of the customer to its class and sort them all
-- before the LIMIT could cut a page, so the plan followed the estimated number of the customer's
-- bookings. Above ~200 estimated it hashed the whole `classes` table instead of looking up each class:
-- 10-20 ms instead of 0.1-2 ms on the 20,000-customer bench studio, for a customer the statistics
-- sampled as frequent, and for every customer under a generic plan once the distinct customers were
-- undercounted.
--
-- Each booking now carries its class's start, kept equal to it by PostgreSQL: filled in on insert (or a
-- change of class) by a trigger, and following the class when it moves (`on update cascade`). The index
-- by customer then holds the list's own order, so a page reads its rows in order and stops at the
-- LIMIT — whatever the estimate — and a cursor seeks straight to its row.
--
-- Applying it rewrites every booking and rebuilds its index under an exclusive lock on `bookings`
-- (and a write lock on `classes`) until the migration commits: about 30 s for 450,000 bookings on
-- the benchmark's server. On a large live database, apply it in a quiet window.

alter table bookings add column class_starts_at timestamptz;
update bookings b set class_starts_at = c.starts_at
  from classes c where c.tenant_id = b.tenant_id and c.id = b.class_id;
alter table bookings alter column class_starts_at set not null;

create unique index classes_with_start on classes (tenant_id, id, starts_at);
alter table bookings add constraint bookings_class_start
  foreign key (tenant_id, class_id, class_starts_at) references classes (tenant_id, id, starts_at)
  on update cascade;

-- Whatever a writer sends, the booking takes its class's start; an unknown class is refused as the
-- foreign key on (tenant_id, class_id) would refuse it. `for key share` waits for a class being
-- moved and reads its new start, where a plain read would take the old one and fail the key.
create function bookings_class_starts_at() returns trigger language plpgsql as $$
begin
  select c.starts_at into new.class_starts_at from classes c where c.tenant_id = new.tenant_id and c.id = new.class_id
    for key share;
  if not found then
    raise foreign_key_violation using
      message = format('class %s of studio %s does not exist', new.class_id, new.tenant_id),
      table = 'bookings', constraint = 'bookings_tenant_id_class_id_fkey';
  end if;
  return new;
end $$;
create trigger bookings_class_starts_at before insert or update of tenant_id, class_id on bookings
  for each row execute function bookings_class_starts_at();

-- The per-customer index in the list's order (its booked_at column ordered nothing).
drop index bookings_by_customer;
create index bookings_by_customer on bookings (tenant_id, customer_id, class_starts_at, id);
