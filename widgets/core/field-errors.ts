import { ApiError } from './api-error.ts';
import { textAt } from './localize.ts';

/**
 * What the server refused about `control`'s value (its field `path`, by default the control's name),
 * in the language the control is shown in (its `lang`), or `undefined` when the server named no such
 * field. The server names a refused field in English words and no code, so the words come from the
 * status and the value sent: a 409 is an email another customer has; a 400 a value that is missing,
 * longer than the control's `maxlength`, or not an email address or phone number; anything else gets
 * the catalogue's `form.invalid` (in English, the server's own words).
 */
export function fieldError(error: unknown, control: HTMLInputElement | HTMLTextAreaElement, path = control.name): string | undefined {
  const refused = error instanceof ApiError && error.fields.find((f) => f.path.split(/[.[]/)[0] === path);
  if (!refused) return undefined;
  const lang = control.closest<HTMLElement>('[lang]')?.lang ?? 'en';
  const value = control.value.trim();
  const max = control.maxLength;
  const key = (error as ApiError).status === 409 ? 'taken'
    : !value ? 'required'
    : max > 0 && value.length > max ? 'tooLong'
    : ({ email: 'invalidEmail', tel: 'invalidPhone' } as Record<string, string>)[control.type] ?? 'invalid';
  return textAt(lang, `form.${key}`, { ...refused, max: max.toLocaleString(lang) });
}
