/**
 * Benchmark (issue 6): the size of the one-module kit, `dist/customer-kit.js`, min+gzip (target 30 KB)
 * and as /kit/ serves it (Brotli), and what each source file costs in it — the bytes the gzipped kit
 * loses when that file's code is left out (read off the source map). Gzip compresses repetition only
 * within 32 KB, so a file's cost depends on its neighbours; these marginal costs add up to less than
 * the whole.
 *
 *   npm run build:bundles && node --import tsx bench/bundle-size.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import { compress } from '../server/http/content-encoding.ts';

const TARGET = 30 * 1024;
const gzipped = (text: string) => gzipSync(text, { level: 9 }).length;

export async function benchBundleSize(file = join(import.meta.dirname, '..', 'dist', 'customer-kit.js')) {
  const code = readFileSync(file, 'utf8');
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as RawSourceMap);
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);

  // Each source's spans of the output: from one mapping to the next.
  const spans = new Map<string, [number, number][]>();
  let previous: { source: string | null; at: number; line: number } | undefined;
  map.eachMapping((m) => {
    const at = lineStarts[m.generatedLine - 1]! + m.generatedColumn;
    if (previous) {
      const end = m.generatedLine === previous.line ? at : lineStarts[previous.line] ?? code.length;
      const source = (previous.source ?? '(bundler)').replace(/^.*node_modules\//, '').replace(/^\.\.\//, '');
      spans.set(source, [...(spans.get(source) ?? []), [previous.at, end]]);
    }
    previous = { source: m.source, at, line: m.generatedLine };
  });

  const whole = gzipped(code);
  const costs = [...spans].map(([source, ranges]) => {
    const kept = new Uint8Array(code.length).fill(1);
    for (const [from, to] of ranges) kept.fill(0, from, to);
    let rest = '';
    for (let i = 0; i < code.length; i++) if (kept[i]) rest += code[i];
    return { source, bytes: whole - gzipped(rest) };
  });
  costs.sort((a, b) => b.bytes - a.bytes);

  console.log(`customer-kit.js: ${(whole / 1024).toFixed(2)} KB min+gzip (target ${(TARGET / 1024).toFixed(1)} KB, ${whole - TARGET >= 0 ? `${whole - TARGET} bytes over` : 'met'})`);
  // What a browser downloads from /kit/ (server/routes/kit.ts), which sends Brotli when it is taken.
  const brotli = (await compress(Buffer.from(code), 'br')).length;
  console.log(`served Brotli-compressed: ${(brotli / 1024).toFixed(2)} KB`);
  console.log('what each source costs in it (bytes of gzip):');
  for (const { source, bytes } of costs.filter((c) => c.bytes >= 100)) console.log(`  ${String(bytes).padStart(6)}  ${source}`);
  return { whole, brotli, costs };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBundleSize();
