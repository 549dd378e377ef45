import type { Scope } from './scopes.ts';

export type StaffRole = 'owner' | 'manager' | 'front_desk' | 'instructor';

const read: Scope[] = [
  'customers:read', 'profile:read', 'bookings:read', 'passes:read', 'coupons:read', 'waivers:read',
  'activity:read', 'emails:read', 'notes:read',
];

/**
 * What each staff role may do: an embed session gets at most its staff member's capabilities.
 * Minting sessions (`embed:create`) belongs to API keys, never to a person's session.
 */
export const roleCapabilities: Record<StaffRole, readonly Scope[]> = {
  owner: [
    ...read, 'customers:write', 'profile:write', 'bookings:write', 'credits:write', 'coupons:write',
    'waivers:write', 'notes:write', 'roles:read', 'attribution:read', 'audit:read',
  ],
  manager: [
    ...read, 'customers:write', 'profile:write', 'bookings:write', 'credits:write', 'coupons:write',
    'waivers:write', 'notes:write', 'attribution:read', 'audit:read',
  ],
  front_desk: [...read, 'customers:write', 'profile:write', 'bookings:write', 'waivers:write', 'notes:write'],
  instructor: ['customers:read', 'profile:read', 'bookings:read', 'waivers:read', 'notes:read', 'notes:write'],
};

/**
 * What a session may do now: the capabilities it was minted with that its staff member's current
 * role still allows. A demotion narrows the sessions already handed out; an unknown role allows nothing.
 */
export function withinRole(capabilities: readonly Scope[], role: string): Scope[] {
  const allowed: readonly Scope[] = roleCapabilities[role as StaffRole] ?? [];
  return capabilities.filter((capability) => allowed.includes(capability));
}
