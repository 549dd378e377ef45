import { z } from 'zod';

const name = z.string().trim().min(1, 'Required.').max(100);

/** The fields a profile write may carry; anything else (password, avatar, …) is refused. */
export const profileFields = {
  firstname: name,
  lastname: name,
  email: z.email('Enter a valid email address.').max(254).transform((e) => e.trim()),
  mobile: z.string().trim().regex(/^\+?[0-9 ()-]{6,24}$/, 'Enter a valid phone number.').nullable().optional(),
};

export const newCustomerSchema = z.strictObject(profileFields);
export const profileUpdateSchema = z.strictObject(profileFields);
