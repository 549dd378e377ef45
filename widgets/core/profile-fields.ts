/**
 * A customer's profile fields as the add and edit forms show them: name and input type. Staff type
 * someone else's details, so the browser's autofill (their own) stays off.
 */
export const PROFILE_FIELDS = [
  ['firstname', 'text'],
  ['lastname', 'text'],
  ['email', 'email'],
  ['mobile', 'tel'],
] as const;
