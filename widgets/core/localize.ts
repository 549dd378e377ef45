import en, { type Messages } from './messages/en.ts';

export type { Messages };

/** A message: its text, or a function of its parameters. */
export type Message = string | ((params: never) => string);

/** The dotted path of every message in a catalogue: `list.search`, `credit.filter.all`. */
type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends Message ? `${Prefix}${K}` : Paths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** The message at a dotted path. */
type At<T, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T ? At<T[Head], Rest> : never
  : Path extends keyof T ? T[Path] : never;

/** The key of every message English has (the rules it leaves to the server's words are looked up, not keyed). */
export type MessageKey = Paths<typeof en>;
/** The parameters a message takes: none for plain strings, one object for the functions. */
export type MessageParams<K extends MessageKey> = At<typeof en, K> extends (params: infer P) => string ? [params: P] : [];

/**
 * The catalogues and who to tell when one arrives: kept on globalThis, as config.ts's state is, so
 * that `registerMessages()` from one copy of the kit on the page (`core.js`) reaches the elements of
 * another (`customer-kit.js`).
 */
const [catalogues, listeners] = ((globalThis as Record<symbol, unknown>)[Symbol.for('customer-kit/messages')] ??= [
  new Map([['en', en]]),
  new Set(),
]) as [Map<string, Messages>, Set<() => void>];

/**
 * The languages the kit ships besides English. Each is a chunk loaded on first use (as
 * `@lit/localize`'s runtime mode does), so a page pays only for the languages it shows.
 */
const shipped: Record<string, () => Promise<{ default: Messages }>> = {
  de: () => import('./messages/de.ts'),
};
const loading = new Map<string, Promise<void>>();

/** Adds (or replaces) the catalogue for a language, e.g. `registerMessages('fr', fr)`: an object shaped like `en` (`{ list: { search: … } }`). */
export function registerMessages(language: string, messages: Messages): void {
  catalogues.set(language.toLowerCase(), messages);
  for (const listener of [...listeners]) listener();
}

/** Calls `listener` whenever a catalogue arrives; returns the unsubscribe function. */
export function onMessages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Loads the shipped catalogue of a locale's language, if there is one and it is not loaded yet. */
export function loadMessages(locale: string): Promise<void> {
  const language = locale.toLowerCase().split('-')[0]!;
  const load = shipped[language];
  if (!load || catalogues.has(language)) return Promise.resolve();
  let pending = loading.get(language);
  if (!pending) {
    pending = load().then(
      (module) => registerMessages(language, module.default),
      (error: unknown) => console.warn(`customer-kit: the ${language} messages could not be loaded`, error),
    );
    loading.set(language, pending);
  }
  return pending;
}

/**
 * The catalogue for a locale: the exact tag (`de-ch`), else its language (`de`), else English —
 * which also stands in while a shipped language is still loading.
 */
export function messagesFor(locale: string): Messages {
  const tag = locale.toLowerCase();
  const found = catalogues.get(tag) ?? catalogues.get(tag.split('-')[0]!);
  if (!found) void loadMessages(tag);
  return found ?? en;
}

/** The language of the words `messagesFor(locale)` gives, for `lang`: the locale, or `en` where English stands in. */
export function languageOf(locale: string): string {
  return messagesFor(locale) !== en || /^en\b/i.test(locale) ? locale : 'en';
}

/** The message at a dotted path of a catalogue (`rule.coupon_live`), if it has one there. */
export function lookup(messages: Messages, path: string): Message | undefined {
  let node: unknown = messages;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' || typeof node === 'function' ? (node as Message) : undefined;
}

/**
 * The text of the message at a dotted path (`rule.coupon_live`) in the language of `locale`, given `params`
 * when it takes them; `undefined` when that catalogue has none there.
 */
export function textAt(locale: string, path: string, params?: object): string | undefined {
  const message = lookup(messagesFor(locale), path) as string | ((p?: object) => string) | undefined;
  return typeof message === 'function' ? message(params) : message;
}

/** The message `key` in the language of `locale`. */
export function translate<K extends MessageKey>(locale: string, key: K, ...params: MessageParams<K>): string {
  return textAt(locale, key, params[0] as object | undefined)!;
}

/** The localized text for an API error code (the generic message for codes it does not know). */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`;
  return lookup(en, key) ? (key as MessageKey) : 'error.generic';
}
