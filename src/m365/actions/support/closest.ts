import { distance } from 'fastest-levenshtein';

/**
 * The candidates a person most plausibly meant by `wanted`, best first. A candidate that starts
 * with, or contains, what was typed ranks above any typo match; a typo match must be close
 * relative to its length, so "Nope" does not suggest "HR" just because both are short. An empty
 * list means nothing is close, which is more honest than three unrelated names.
 */
export function closestMatches(wanted: string, candidates: readonly string[], max = 3): string[] {
  const w = norm(wanted);
  if (!w) return [];
  const scored: Array<{ c: string; tier: number; d: number }> = [];
  for (const c of new Set(candidates)) {
    const lc = norm(c);
    if (!lc) continue;
    const d = distance(w, lc);
    if (lc === w) scored.push({ c, tier: 0, d });
    else if (lc.startsWith(w) || w.startsWith(lc)) scored.push({ c, tier: 1, d });
    else if (w.length >= 3 && (lc.includes(w) || w.includes(lc))) scored.push({ c, tier: 2, d });
    else {
      // A typo: close to the whole name, or to one of its words ("Finanse" ~ "Finance").
      const words = lc.split(/[\s._@-]+/).filter(Boolean);
      const best = Math.min(d, ...words.map((x) => distance(w, x) + 0.5));
      if (best <= allowance(w, lc)) scored.push({ c, tier: 3, d: best });
    }
  }
  return scored.sort((a, b) => a.tier - b.tier || a.d - b.d || a.c.localeCompare(b.c)).slice(0, max).map((x) => x.c);
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Edits a typo may contain: about one in three characters of the shorter string, at least one. */
function allowance(a: string, b: string): number {
  return Math.max(1, Math.floor(Math.min(a.length, b.length) / 3));
}
