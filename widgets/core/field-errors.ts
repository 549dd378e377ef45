import { ApiError } from './api-error.ts';

/**
 * The server's refused fields keyed by top-level field name (`email`, `mobile`), from
 * `details.fields` of a 400 `invalid_request` or a 409 `conflict`. The first message per field wins.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const { path, message } of error.fields) {
    const name = path.split(/[.[]/)[0];
    if (name && !(name in out)) out[name] = message;
  }
  return out;
}
