// Secrets never appear in logs, events, history or error messages: everything that leaves the
// process through those channels passes maskSecrets first.
export const MASK = '●●●●●●●●';

const secretKeyRe = /(password|passwd|secret|token|temporaryaccesspass|assertion|authorization|credential|apikey|api_key|privatekey|private_key)/i;

export function isSecretKey(key: string): boolean {
  return secretKeyRe.test(key);
}

/** Deep copy with every secret-named field replaced by MASK. */
export function maskSecrets<T>(value: T, extraKeys: readonly string[] = []): T {
  const extra = new Set(extraKeys);
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 20 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if ((isSecretKey(k) || extra.has(k)) && x !== null && x !== undefined && x !== '') out[k] = MASK;
      else out[k] = walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}

/** Removes known secret values from free text (error messages from upstream, for instance). */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join(MASK);
  return out;
}
