// Dates as people write them in requests: "3 March", "March 3rd", "2025-03-03", "03/03/2025",
// "tomorrow", "Friday", "next Monday". Relative dates need a reference day, passed in, so the
// parser stays pure and a test can pin the calendar.

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const monthIndex = new Map<string, number>();
months.forEach((m, i) => {
  monthIndex.set(m, i);
  monthIndex.set(m.slice(0, 3), i);
});
monthIndex.set('sept', 8);
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const weekdayIndex = new Map<string, number>();
weekdays.forEach((d, i) => {
  weekdayIndex.set(d, i);
  weekdayIndex.set(d.slice(0, 3), i);
});

export interface DateMatch {
  /** The day, as YYYY-MM-DD. */
  date: string;
  /** How many words it spans. */
  length: number;
}

function iso(y: number, m: number, d: number): string | undefined {
  const dt = new Date(Date.UTC(y, m, d));
  if (dt.getUTCMonth() !== m || dt.getUTCDate() !== d) return undefined;
  return dt.toISOString().slice(0, 10);
}

function dayNumber(w: string | undefined): number | undefined {
  const m = w ? /^(\d{1,2})(st|nd|rd|th)?$/.exec(w) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= 31 ? n : undefined;
}

/** The next occurrence of month/day on or after the reference day (a request is about the future). */
function upcoming(ref: Date, m: number, d: number, year?: number): string | undefined {
  if (year !== undefined) return iso(year, m, d);
  const y = ref.getUTCFullYear();
  const candidate = iso(y, m, d);
  if (!candidate) return undefined;
  return candidate < ref.toISOString().slice(0, 10) ? iso(y + 1, m, d) : candidate;
}

function yearAt(w: string | undefined): number | undefined {
  return w && /^20\d\d$/.test(w) ? Number(w) : undefined;
}

/** A date starting at word `i` of the lower-case words, or undefined. */
export function matchDateAt(words: readonly string[], i: number, ref: Date): DateMatch | undefined {
  const w = words[i];
  if (!w) return undefined;
  let m = /^(20\d\d)-(\d{1,2})-(\d{1,2})$/.exec(w);
  if (m) {
    const date = iso(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return date ? { date, length: 1 } : undefined;
  }
  m = /^(\d{1,2})[/.](\d{1,2})[/.](20\d\d)$/.exec(w);
  if (m) {
    // Day first, as most of the world writes it; a first number over 12 settles it anyway.
    const a = Number(m[1]);
    const b = Number(m[2]);
    const [d, mo] = b > 12 ? [b, a] : [a, b];
    const date = iso(Number(m[3]), mo - 1, d);
    return date ? { date, length: 1 } : undefined;
  }
  const refDay = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth(), ref.getUTCDate()));
  const plusDays = (n: number) => new Date(refDay.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  if (w === 'today') return { date: plusDays(0), length: 1 };
  if (w === 'tomorrow') return { date: plusDays(1), length: 1 };
  const next = w === 'next' ? 1 : 0;
  const wd = weekdayIndex.get(words[i + next] ?? '');
  if (wd !== undefined && (next === 0 || words[i + 1])) {
    let delta = (wd - refDay.getUTCDay() + 7) % 7;
    if (delta === 0 || next) delta += delta === 0 ? 7 : 0;
    return { date: plusDays(delta), length: 1 + next };
  }
  const day = dayNumber(w);
  if (day !== undefined) {
    const of = words[i + 1] === 'of' ? 1 : 0;
    const mon = monthIndex.get(words[i + 1 + of] ?? '');
    if (mon !== undefined) {
      const year = yearAt(words[i + 2 + of]);
      const date = upcoming(ref, mon, day, year);
      return date ? { date, length: 2 + of + (year ? 1 : 0) } : undefined;
    }
    return undefined;
  }
  const mon = monthIndex.get(w);
  if (mon !== undefined && w.length >= 3) {
    const d = dayNumber(words[i + 1]);
    if (d === undefined) return undefined;
    const year = yearAt(words[i + 2]);
    const date = upcoming(ref, mon, d, year);
    return date ? { date, length: 2 + (year ? 1 : 0) } : undefined;
  }
  return undefined;
}
