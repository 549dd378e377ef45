import { z } from 'zod';
import { text } from '../http/schemas.ts';

const name = text.trim().min(1, 'Required.').max(100);

/** The fields a profile write may carry; anything else (password, avatar, …) is refused. */
export const profileFields = {
  firstname: name,
  lastname: name,
  /** Its format (ASCII) already admits neither a NUL nor a surrogate. */
  email: z.email('Enter a valid email address.').max(254).transform((e) => e.trim()),
  /** 6–24 characters of digits, spaces, ( ) and -, six of them digits at least. */
  mobile: text.trim().regex(/^(?=(?:\D*\d){6})\+?[0-9 ()-]{6,24}$/, 'Enter a valid phone number.').nullable().optional(),
};

export const newCustomerSchema = z.strictObject(profileFields);
export const profileUpdateSchema = z.strictObject(profileFields);
