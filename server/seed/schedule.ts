import { newId } from '../ids.ts';
import type { ClassTemplate, TenantPlan } from './plans.ts';
import { createRandom, type Random } from './random.ts';
import type { ClassRow } from './rows.ts';
import { DAY, iso, zonedDate, zonedTime } from './time.ts';

/** How far back and ahead the timetable runs, in days from today. */
export const SCHEDULE_PAST_DAYS = 365;
export const SCHEDULE_FUTURE_DAYS = 14;

/**
 * The classes of one tenant, sorted by start, as columns: customers look classes up by time and
 * count live bookings against capacity, so this stays compact even with a hundred rooms.
 */
export interface Schedule {
  length: number;
  id: string[];
  name: string[];
  type: string[];
  kind: string[];
  start: Float64Array;
  cost: Uint8Array;
  capacity: Uint16Array;
  /** Live bookings (booked, attended, no-show) so far. */
  live: Uint16Array;
  cancelled: Uint8Array;
  /** Index of the first class starting at or after the instant. */
  firstFrom(ms: number): number;
}

interface Planned {
  template: ClassTemplate;
  name: string;
  kind: 'class' | 'appointment' | 'course';
  start: number;
  capacity: number;
  facilitator: string;
  location: string;
  cancelled: boolean;
}

/** Enough rooms that classes fill to roughly half to two thirds at the customers' booking rates. */
const roomsFor = (plan: TenantPlan, customers: number) => Math.max(1, Math.ceil(customers / plan.customersPerRoom));

function roomName(plan: TenantPlan, room: number) {
  return plan.rooms[room] ?? `Studio ${room + 1}`;
}

function teacherFor(plan: TenantPlan, type: string, random: Random, when: number, now: number): string {
  // Inactive instructors taught until they left, about half a year ago.
  const teachers = plan.staff.filter((s) => s.teaches.includes(type) && (s.active || when < now - 180 * DAY));
  return teachers.length ? random.pick(teachers).name : random.pick(plan.staff).name;
}

export function buildSchedule(plan: TenantPlan, seed: number, now: number, customers: number): { schedule: Schedule; rows: ClassRow[] } {
  const random = createRandom(seed, plan.id, 'schedule');
  const rooms = roomsFor(plan, customers);
  // A studio smaller than one room's worth runs a thinner timetable (but always several a day).
  const keep = Math.min(1, Math.max(0.55, customers / plan.customersPerRoom));
  const today = zonedDate(plan.timezone, now);
  const regular = plan.templates;

  // A weekly timetable per room: each (weekday, slot) runs the same class with the same teacher.
  const grid = Array.from({ length: rooms }, () => Array.from({ length: 7 }, (_, weekday) => {
    const slots = weekday === 0 || weekday === 6 ? plan.weekendSlots : plan.weekdaySlots;
    return slots.map(([hour, minute]) => {
      const template = random.pick(regular);
      return { template, hour, minute, capacity: random.int(...template.capacity), teacherSeed: random.float() };
    });
  }));

  const planned: Planned[] = [];
  for (let offset = -SCHEDULE_PAST_DAYS; offset <= SCHEDULE_FUTURE_DAYS; offset++) {
    const date = new Date(Date.UTC(today.year, today.month, today.day + offset));
    const [y, m, d, weekday] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCDay()];
    // The zone's offset at noon holds for the whole studio day: clocks change at night.
    const shift = Date.UTC(y, m, d, 12) - zonedTime(plan.timezone, y, m, d, 12, 0);
    const at = (hour: number, minute: number) => Date.UTC(y, m, d, hour, minute) - shift;

    for (let room = 0; room < rooms; room++) {
      for (const slot of grid[room][weekday]) {
        if (random.chance(0.04) || !random.chance(keep)) continue; // the odd slot left empty; fewer for a small studio
        const start = at(slot.hour, slot.minute);
        const regularTeacher = teacherFor(plan, slot.template.type, createRandom(slot.teacherSeed), start, now);
        const cover = random.chance(0.06);
        planned.push({
          template: slot.template, name: slot.template.name, kind: 'class', start, capacity: slot.capacity,
          facilitator: cover
            ? random.pick([...plan.guestTeachers, teacherFor(plan, slot.template.type, random, start, now)])
            : regularTeacher,
          location: slot.template.location ?? roomName(plan, room),
          cancelled: random.chance(0.01),
        });
      }
    }

    const appointment = plan.appointment;
    if (appointment && weekday !== 0) {
      for (let k = 0; k < rooms; k++) {
        if (!random.chance(appointment.perWeek / 6)) continue;
        const start = at(random.int(10, 16), random.pick([0, 30]));
        planned.push({
          template: appointment, name: appointment.name, kind: 'appointment', start, capacity: 1,
          facilitator: teacherFor(plan, appointment.type, random, start, now), location: 'Treatment Room', cancelled: false,
        });
      }
    }

    const course = plan.course;
    const week = Math.floor((offset + SCHEDULE_PAST_DAYS) / 7);
    if (course && weekday === course.weekday && week % course.everyWeeks < course.weeks) {
      const start = at(course.hour, course.minute);
      planned.push({
        template: course, name: `${course.name} \u2014 Week ${(week % course.everyWeeks) + 1} of ${course.weeks}`,
        kind: 'course', start, capacity: random.int(...course.capacity),
        facilitator: teacherFor(plan, course.type, createRandom(seed, plan.id, 'course', Math.floor(week / course.everyWeeks)), start, now),
        location: roomName(plan, 0), cancelled: false,
      });
    }
  }

  planned.sort((a, b) => a.start - b.start);
  const length = planned.length;
  const schedule: Schedule = {
    length, id: [], name: [], type: [], kind: [],
    start: new Float64Array(length), cost: new Uint8Array(length), capacity: new Uint16Array(length),
    live: new Uint16Array(length), cancelled: new Uint8Array(length),
    firstFrom(ms) {
      let lo = 0, hi = length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.start[mid] < ms) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
  const rows: ClassRow[] = [];
  planned.forEach((p, i) => {
    const id = newId('cls', random.bytes);
    schedule.id.push(id);
    schedule.name.push(p.name);
    schedule.type.push(p.template.type);
    schedule.kind.push(p.kind);
    schedule.start[i] = p.start;
    schedule.cost[i] = p.template.cost;
    schedule.capacity[i] = p.capacity;
    schedule.cancelled[i] = p.cancelled ? 1 : 0;
    rows.push({
      tenant_id: plan.id, id, name: p.name, class_type: p.template.type, kind: p.kind, starts_at: iso(p.start),
      duration_minutes: p.template.duration, capacity: p.capacity, credit_cost: p.template.cost,
      facilitator: p.facilitator, location: p.location, cancelled: p.cancelled,
    });
  });
  return { schedule, rows };
}
