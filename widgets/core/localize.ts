import de from './messages/de.ts';
import en, { type Messages } from './messages/en.ts';

export type { Messages };
export type MessageKey = keyof Messages;
/** The parameters a message takes: none for plain strings, one object for the functions. */
export type MessageParams<K extends MessageKey> = Messages[K] extends (params: infer P) => string ? [params: P] : [];

const catalogues = new Map<string, Messages>([
  ['en', en],
  ['de', de],
]);

/** Adds (or replaces) the catalogue for a language, e.g. `registerMessages('fr', fr)`. */
export function registerMessages(language: string, messages: Messages): void {
  catalogues.set(language.toLowerCase(), messages);
}

/** The catalogue for a locale: the exact tag (`de-ch`), else its language (`de`), else English. */
export function messagesFor(locale: string): Messages {
  const tag = locale.toLowerCase();
  return catalogues.get(tag) ?? catalogues.get(tag.split('-')[0]) ?? en;
}

/** The message `key` in the language of `locale`. */
export function translate<K extends MessageKey>(locale: string, key: K, ...params: MessageParams<K>): string {
  const message = messagesFor(locale)[key] as string | ((p: unknown) => string);
  return typeof message === 'function' ? message(params[0]) : message;
}

/** The localized text for an API error code (the generic message for codes it does not know). */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`;
  return key in en ? (key as MessageKey) : 'error.generic';
}
