import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCodes } from '../../src/core/error-codes.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = [...doc.matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|\s*(\d{3})\s*\|\s*(\w+)\s*\|/gm)].map((m) => ({ code: m[1]!, status: Number(m[2]), cls: m[3]! }));

test('docs/errors.md lists exactly the codes of src/core/error-codes.ts', () => {
  assert.deepEqual(rows.map((r) => r.code).sort(), Object.keys(errorCodes).sort());
});

test('each documented status and class matches the registry', () => {
  for (const r of rows) {
    const def = errorCodes[r.code as keyof typeof errorCodes];
    assert.equal(def.status, r.status, `${r.code} status`);
    assert.equal(def.errorClass, r.cls, `${r.code} class`);
  }
});

test('every code has a fix that tells the reader what to do', () => {
  for (const [code, def] of Object.entries(errorCodes)) assert.ok(def.fix.length > 15, code);
});
