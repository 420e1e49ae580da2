// `npm run bench -- intents [ITERATIONS]`: parse latency over the sample messages, against a
// baseline measured in the same run (a plain regex keyword scan over the same texts, the least a
// parser could do). The last line is JSON: {"parseP50Ms", "parseP99Ms", …}.
import { readSamples, defaultSampleFile } from '../src/chat/eval.ts';
import { parseIntents } from '../src/chat/parser.ts';

const keywordScan: RegExp[] = [
  /\breset\b.*\bpassword\b/i, /\bdisable\b|\bblock\b/i, /\benable\b/i, /\bmfa\b|multi-factor/i, /\brevoke\b|\blog .* out\b/i,
  /\blicen[cs]e\b|\bE[135]\b/i, /\bgroup\b|\bmembers\b/i, /\bforward/i, /out of office|\booo\b/i, /\bshared\b/i, /full access/i,
  /send as/i, /\boffboard\b/i, /\bonboard\b/i, /\bmoving to\b/i, /security incident/i, /[\w.+-]+@[\w-]+(\.[\w-]+)+/g,
];

function baseline(text: string): number {
  let hits = 0;
  for (const re of keywordScan) {
    re.lastIndex = 0;
    if (re.test(text)) hits++;
  }
  return hits;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(texts: ReadonlyArray<{ text: string; context?: { lastUser?: string } }>, iterations: number, fn: (t: { text: string; context?: { lastUser?: string } }) => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    for (const t of texts) {
      const start = performance.now();
      fn(t);
      times.push(performance.now() - start);
    }
  }
  return times.sort((a, b) => a - b);
}

export default async function run(args: string[]): Promise<void> {
  const iterations = Number(args[0] ?? 300);
  const samples = readSamples(defaultSampleFile);
  const now = new Date();
  // Warm up the JIT and the typo memo, as a long-running server would be.
  measure(samples, 20, (s) => parseIntents(s.text, s.context ?? {}, { now }));
  measure(samples, 20, (s) => baseline(s.text));
  const parse = measure(samples, iterations, (s) => parseIntents(s.text, s.context ?? {}, { now }));
  const base = measure(samples, iterations, (s) => baseline(s.text));
  const p50 = percentile(parse, 50);
  const p99 = percentile(parse, 99);
  const b50 = percentile(base, 50);
  const b99 = percentile(base, 99);
  console.log(`intents: ${samples.length} sample messages × ${iterations} iterations = ${parse.length} parses`);
  console.log(`parser        p50 ${p50.toFixed(4)} ms   p99 ${p99.toFixed(4)} ms   max ${parse[parse.length - 1]!.toFixed(3)} ms`);
  console.log(`regex scan    p50 ${b50.toFixed(4)} ms   p99 ${b99.toFixed(4)} ms   (baseline: keyword regexes only, no understanding)`);
  console.log(`ratio to baseline: p50 ×${(p50 / b50).toFixed(1)}, p99 ×${(p99 / b99).toFixed(1)}; target p99 ≤ 5 ms: ${p99 <= 5 ? 'met' : 'NOT met'}`);
  console.log(JSON.stringify({ parseP50Ms: Number(p50.toFixed(4)), parseP99Ms: Number(p99.toFixed(4)), baselineP50Ms: Number(b50.toFixed(4)), baselineP99Ms: Number(b99.toFixed(4)) }));
}
