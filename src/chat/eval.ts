// Scores the parser against a JSONL file of {text, context?, expect: [{action, params}]}.
// A message scores only when its action sequence and its `user` are exactly right and every other
// expected parameter is found. `npm run eval:intents [-- FILE]` prints the accuracy and each miss.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParseContext } from './intent.ts';
import { parseIntents } from './parser.ts';

export interface Sample {
  text: string;
  context?: ParseContext;
  expect: Array<{ action: string; params: Record<string, unknown> }>;
}

export interface Miss {
  line: number;
  text: string;
  expected: Sample['expect'];
  parsed: Array<{ action: string; params: Record<string, unknown> }>;
  why: string;
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  misses: Miss[];
}

export function readSamples(file: string): Array<Sample & { line: number }> {
  const out: Array<Sample & { line: number }> = [];
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    const s = JSON.parse(line) as Sample;
    if (typeof s.text !== 'string' || !Array.isArray(s.expect)) throw new Error(`${file}:${i + 1}: each line needs "text" and "expect".`);
    out.push({ ...s, line: i + 1 });
  });
  return out;
}

function norm(v: unknown): unknown {
  if (typeof v === 'string') return v.trim().replace(/\s+/g, ' ').toLowerCase();
  if (Array.isArray(v)) return v.map(norm).map((x) => JSON.stringify(x)).sort();
  return v;
}

/** Equal up to case and spacing; a one-item list equals its item. */
export function sameValue(expected: unknown, got: unknown): boolean {
  const a = Array.isArray(expected) && expected.length === 1 ? expected[0] : expected;
  const b = Array.isArray(got) && got.length === 1 ? got[0] : got;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** Why a parse misses its expectation, or undefined when it scores. */
export function judge(expected: Sample['expect'], parsed: Array<{ action: string; params: Record<string, unknown> }>): string | undefined {
  const ea = expected.map((e) => e.action).join(', ');
  const pa = parsed.map((p) => p.action).join(', ');
  if (ea !== pa) return `actions: expected [${ea}], parsed [${pa}]`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!.params;
    const p = parsed[i]!.params;
    const eu = typeof e.user === 'string' ? e.user.toLowerCase() : e.user;
    const pu = typeof p.user === 'string' ? p.user.toLowerCase() : p.user;
    if (eu !== pu) return `intent ${i + 1} (${expected[i]!.action}): user expected ${JSON.stringify(e.user)}, parsed ${JSON.stringify(p.user)}`;
    for (const [k, v] of Object.entries(e)) {
      if (k === 'user') continue;
      if (!sameValue(v, p[k])) return `intent ${i + 1} (${expected[i]!.action}): ${k} expected ${JSON.stringify(v)}, parsed ${JSON.stringify(p[k])}`;
    }
  }
  return undefined;
}

export function evaluate(samples: ReadonlyArray<Sample & { line: number }>, now = new Date()): EvalReport {
  const misses: Miss[] = [];
  for (const s of samples) {
    const parsed = parseIntents(s.text, s.context ?? {}, { now }).intents.map((i) => ({ action: i.action, params: i.params }));
    const why = judge(s.expect, parsed);
    if (why) misses.push({ line: s.line, text: s.text, expected: s.expect, parsed, why });
  }
  const correct = samples.length - misses.length;
  return { total: samples.length, correct, accuracy: samples.length ? correct / samples.length : 0, misses };
}

export const defaultSampleFile = resolve(import.meta.dirname, '../../test/fixtures/intents.jsonl');

function main(argv: string[]): void {
  const file = resolve(argv[0] ?? defaultSampleFile);
  const report = evaluate(readSamples(file));
  for (const m of report.misses) {
    const short = m.text.length > 160 ? `${m.text.slice(0, 157)}...` : m.text;
    console.log(`MISS line ${m.line}: ${JSON.stringify(short)}`);
    console.log(`  ${m.why}`);
    console.log(`  expected: ${JSON.stringify(m.expected)}`);
    console.log(`  parsed:   ${JSON.stringify(m.parsed)}`);
  }
  console.log(`${file}: ${report.correct}/${report.total} correct, accuracy ${(report.accuracy * 100).toFixed(1)}%`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
