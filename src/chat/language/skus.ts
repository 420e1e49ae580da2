// Licence names as technicians write them ("E3", "business premium", "M365 E5", "Visio", SPE_E3).
// The parser keeps the friendly name; the resolver (resolve/sku-choices.ts) turns it into one of the
// tenant's SKUs, or into a question when it fits several.
import { productNames } from '../../m365/actions/resolve/sku.ts';

export interface SkuPhrase {
  words: string[];
  label: string;
  /** Only a licence when a licence word or licence verb is near ("Project licence", "assign Standard"). */
  weak?: boolean;
}

const phrases: SkuPhrase[] = [];
function add(label: string, forms: string[], weak = false): void {
  for (const f of forms) phrases.push({ words: f.split(' '), label, ...(weak ? { weak } : {}) });
}

for (const n of ['1', '3', '5']) {
  add(`Microsoft 365 E${n}`, [`microsoft 365 e${n}`, `m365 e${n}`, `ms365 e${n}`, `microsoft e${n}`]);
  add(`Office 365 E${n}`, [`office 365 e${n}`, `o365 e${n}`, `office e${n}`, `o365e${n}`]);
  add(`E${n}`, [`e${n}`]);
}
add('Microsoft 365 F3', ['microsoft 365 f3', 'm365 f3']);
add('F3', ['f3']);
add('F1', ['f1']);
add('Business Premium', ['microsoft 365 business premium', 'm365 business premium', 'business premium', 'bus premium', 'biz premium']);
add('Business Standard', ['microsoft 365 business standard', 'm365 business standard', 'business standard', 'biz standard']);
add('Business Basic', ['microsoft 365 business basic', 'm365 business basic', 'business basic', 'biz basic']);
add('Visio Plan 2', ['visio plan 2']);
add('Visio', ['visio']);
add('Project Plan 3', ['project plan 3']);
add('Project', ['project'], true);
add('Power BI Pro', ['power bi pro', 'powerbi pro', 'pbi pro']);
add('Power BI', ['power bi', 'powerbi']);
add('Exchange Online (Plan 1)', ['exchange online plan 1', 'exchange plan 1']);
add('Exchange Online (Plan 2)', ['exchange online plan 2', 'exchange plan 2']);
add('Exchange Online', ['exchange online']);
add('Microsoft Entra ID P1', ['entra id p1', 'entra p1', 'aad p1', 'azure ad p1', 'azure ad premium p1', 'aad premium p1']);
add('Microsoft Entra ID P2', ['entra id p2', 'entra p2', 'aad p2', 'azure ad p2', 'azure ad premium p2', 'aad premium p2']);
add('Standard', ['standard'], true);
add('Basic', ['basic'], true);
for (const part of Object.keys(productNames)) add(part, [part.toLowerCase()]);

const byFirst = new Map<string, SkuPhrase[]>();
for (const p of phrases) {
  const list = byFirst.get(p.words[0]!) ?? [];
  list.push(p);
  byFirst.set(p.words[0]!, list);
}
for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);

/** Words that belong to licence names, for the typo corrector's vocabulary. */
export const skuVocabulary: string[] = [...new Set(phrases.flatMap((p) => p.words).filter((w) => /^[a-z]{4,}$/.test(w)))];

/** The longest licence phrase starting at `i` in `words`, with how many words it spans. */
export function matchSkuAt(words: readonly string[], i: number): { phrase: SkuPhrase; length: number } | undefined {
  const first = words[i];
  if (first === undefined) return undefined;
  for (const p of byFirst.get(first) ?? []) {
    if (i + p.words.length > words.length) continue;
    let ok = true;
    for (let k = 1; k < p.words.length; k++) if (words[i + k] !== p.words[k]) { ok = false; break; }
    if (ok) return { phrase: p, length: p.words.length };
  }
  return undefined;
}
