import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ruleNames } from '../../server/domain/rules.ts';
import de from '../../widgets/core/messages/de.ts';
import en from '../../widgets/core/messages/en.ts';
import { lookup, type Messages } from '../../widgets/core/localize.ts';

// A refusal a catalogue does not word shows the server's own English words (kit-element.ts `rulesText`):
// right on an English page, where they name the pass and the numbers, so English words only the rules it
// says better; every other shipped language must word them all.
const others: [string, Messages][] = [['de', de]];
// What the widgets pass to a worded rule (coupon-manager `ruleParams`, waiver-status `policyParams`).
const params = { code: 'SPRING10', date: '31 May 2026', max: 3, name: 'Liability Waiver', version: 4 };
const server = join(import.meta.dirname, '..', '..', 'server');
const worded = (catalogue: Messages, rule: string) => {
  const message = lookup(catalogue, `rule.${rule}`);
  return typeof message === 'function' ? (message as (p: object) => string)(params) : message;
};

describe('rule messages', () => {
  for (const [language, catalogue] of others) {
    test(`${language} words every rule the server can name, in its own words`, () => {
      assert.deepEqual(ruleNames.filter((rule) => worded(catalogue, rule) === undefined), [], `rule.<name> missing in messages/${language}.ts`);
      for (const rule of ruleNames) {
        const text = worded(catalogue, rule)!;
        assert.ok(text.trim() && !/undefined|NaN/.test(text), `${language} rule.${rule}: "${text}"`);
        assert.notEqual(text, worded(en, rule), `${language} rule.${rule} is a copy of the English`);
      }
    });
  }

  for (const [language, catalogue] of [['en', en], ...others] as const) {
    test(`${language} words no rule the server never names`, () => {
      assert.deepEqual(Object.keys(catalogue.rule).filter((rule) => !(ruleNames as readonly string[]).includes(rule)), []);
    });
  }

  // The type keeps `refuse`, `mintRefused` and `Check` to the list; this also holds the rules written
  // without it (an object literal not typed as a Check, a rule read from a variable).
  test('ruleNames lists every rule written in server/', () => {
    const files = readdirSync(server, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const written = new Set<string>();
    for (const file of files) {
      const source = readFileSync(join(server, file), 'utf8');
      for (const m of source.matchAll(/\b(?:refuse|mintRefused)\(\s*'(\w+)'|\brule: '(\w+)'/g)) written.add((m[1] ?? m[2])!);
    }
    assert.ok(written.size > 20, `found ${written.size} rules`);
    assert.deepEqual([...written].filter((rule) => !(ruleNames as readonly string[]).includes(rule)).sort(), []);
  });
});
