import { z } from 'zod';

/** Every scope a credential can hold (DESIGN §4). Embed sessions call them capabilities. */
export const scopes = [
  'customers:read', 'customers:write', 'profile:read', 'profile:write',
  'bookings:read', 'bookings:write', 'passes:read', 'credits:write',
  'coupons:read', 'coupons:write', 'waivers:read', 'waivers:write',
  'activity:read', 'emails:read', 'notes:read', 'notes:write',
  'roles:read', 'attribution:read', 'audit:read', 'embed:create',
] as const;

export type Scope = (typeof scopes)[number];

export const scopeSchema = z.enum(scopes);
