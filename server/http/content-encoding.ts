import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The encodings the server can send compressed, in its order of preference when a client takes several. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Compresses text as well as each encoding can: it is done once per file and then served many times.
 * Asynchronous, so the event loop keeps serving while a large file compresses.
 */
export function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipped(body, { level: constants.Z_BEST_COMPRESSION });
}

/**
 * The encoding to answer an `Accept-Encoding` header with (RFC 9110 §12.5.3): the highest weight wins,
 * the server's preference breaks ties, `*` stands for any encoding not named, and `q=0` refuses one.
 * `undefined` means the body as it is.
 */
export function preferredEncoding(header: string | undefined): Encoding | undefined {
  const weights = new Map<string, number>();
  for (const item of header?.split(',') ?? []) {
    const [coding, ...params] = item.toLowerCase().split(';').map((part) => part.trim());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (coding) weights.set(coding, Number.isFinite(weight) ? weight : 0);
  }
  let best: Encoding | undefined;
  let bestWeight = 0;
  for (const encoding of ENCODINGS) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [encoding, weight];
  }
  return best;
}
