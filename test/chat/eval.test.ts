import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSampleFile, evaluate, judge, readSamples } from '../../src/chat/eval.ts';

const root = join(import.meta.dirname, '../..');

test('the project keeps a copy of the shared sample file', () => {
  const samples = readSamples(defaultSampleFile);
  assert.ok(samples.length >= 38);
  assert.ok(samples.some((s) => s.expect.length === 0), 'it includes off-topic messages');
});

test('accuracy on the sample file is at least 97%', () => {
  const report = evaluate(readSamples(defaultSampleFile));
  assert.ok(report.accuracy >= 0.97, `accuracy ${(report.accuracy * 100).toFixed(1)}%; misses: ${report.misses.map((m) => `${m.text} (${m.why})`).join('; ')}`);
});

test('accuracy on the held-out phrasings is at least 95%', () => {
  const samples = readSamples(join(root, 'test/fixtures/intents-heldout.jsonl'));
  assert.ok(samples.length >= 80, 'at least 80 held-out phrasings');
  const report = evaluate(samples);
  assert.ok(report.accuracy >= 0.95, `accuracy ${(report.accuracy * 100).toFixed(1)}%; misses: ${report.misses.map((m) => `${m.text} (${m.why})`).join('; ')}`);
});

test('scoring: the action sequence and the user must be exact; other expected parameters must be found', () => {
  const expect = [{ action: 'reset-password', params: { user: 'a@contoso.com' } }, { action: 'revoke-sessions', params: { user: 'a@contoso.com' } }];
  assert.equal(judge(expect, expect), undefined);
  assert.match(judge(expect, [...expect].reverse())!, /actions/, 'order matters');
  assert.match(judge(expect, [expect[0]!])!, /actions/, 'a missing intent is a miss');
  assert.match(judge(expect, [expect[0]!, { action: 'revoke-sessions', params: { user: 'b@contoso.com' } }])!, /user/);
  assert.match(judge([{ action: 'onboard-user', params: { displayName: 'Adele Vance' } }], [{ action: 'onboard-user', params: { displayName: 'Adele Vance', user: 'x@contoso.com' } }])!, /user/, 'a user where none was expected is wrong');
  assert.equal(judge([{ action: 'assign-license', params: { user: 'a@contoso.com', sku: 'E5' } }], [{ action: 'assign-license', params: { user: 'A@contoso.com', sku: 'e5', extra: 1 } }]), undefined, 'case and extra parameters do not matter');
  assert.match(judge([{ action: 'assign-license', params: { user: 'a@contoso.com', sku: 'E5' } }], [{ action: 'assign-license', params: { user: 'a@contoso.com' } }])!, /sku/);
  assert.equal(judge([], []), undefined);
});

test('npm run eval:intents prints the accuracy and each miss with expected and parsed', () => {
  const node = join(root, 'node_modules/.bin/node');
  const ok = execFileSync(node, [join(root, 'src/chat/eval.ts')], { encoding: 'utf8' });
  assert.match(ok.trim().split('\n').pop()!, /\d+\/\d+ correct, accuracy \d+\.\d%/);
  const file = join(root, 'test/fixtures/intents.jsonl');
  const wrong = readFileSync(file, 'utf8').split('\n')[0]!.replace('"reset-password"', '"disable-user"');
  const dir = mkdtempSync(join(tmpdir(), 'tf-eval-'));
  const tmp = join(dir, 'miss.jsonl');
  writeFileSync(tmp, `${wrong}\n`);
  try {
    const out = execFileSync(node, [join(root, 'src/chat/eval.ts'), tmp], { encoding: 'utf8' });
    assert.match(out, /MISS line 1/);
    assert.match(out, /expected: \[\{"action":"disable-user"/);
    assert.match(out, /parsed: {3}\[\{"action":"reset-password"/);
    assert.match(out, /0\/1 correct, accuracy 0\.0%/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
