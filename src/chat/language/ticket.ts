// A ticket pasted from a PSA or an email: header lines ("Subject:", "Requested by:", "Affected
// user:"), a greeting, the request, a sign-off and a signature. Only the request is read as one;
// the headers say who raised it and whom it is about.

const headerNames = [
  'subject', 'title', 'summary', 'from', 'to', 'cc', 'sent', 'date', 'requested by', 'requester', 'request by', 'reported by', 'raised by',
  'submitted by', 'opened by', 'created by', 'contact', 'caller', 'priority', 'status', 'category', 'subcategory', 'ticket', 'ticket #',
  'ticket no', 'ticket number', 'ticket id', 'case', 'case #', 'company', 'client', 'customer', 'account', 'affected user', 'user', 'employee',
  'end user', 'for user', 'user name', 'username', 'upn', 'email', 'e-mail', 'department', 'description', 'details', 'site', 'assigned to',
  'sla', 'type', 'impact', 'urgency', 'source', 'board', 'queue', 'due', 'due date', 'request', 'issue', 'problem', 'phone', 'location',
];
const headerRe = new RegExp(`^\\s*(${headerNames.map((h) => h.replace(/[#]/g, '\\#').replace(/\s+/g, '\\s+')).sort((a, b) => b.length - a.length).join('|')})\\s*[:#]\\s*(.*)$`, 'i');
const requesterHeaders = /^(from|requested by|requester|request by|reported by|raised by|submitted by|opened by|created by|contact|caller)$/i;
const subjectUserHeaders = /^(affected user|user|employee|end user|for user|user name|username|upn|email|e-mail)$/i;
const bodyHeaders = /^(description|details|request|issue|problem)$/i;
const subjectHeaders = /^(subject|title|summary)$/i;
const greeting = /^(hi|hello|hey|dear|good (morning|afternoon|evening)|morning|afternoon|greetings)\b[^.!?\n]{0,40}[,!.:]?\s*$/i;
const signOff = /^(thanks|thank you|many thanks|thanks in advance|regards|kind regards|best regards|warm regards|best|cheers|sincerely|br|thx|ty|much appreciated)\b[^.!?\n]{0,30}[,!.]?\s*$/i;
const emailRe = /[A-Za-z0-9._%+'#-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

export interface Ticket {
  /** The request itself: the body without greeting, sign-off and signature. */
  body: string;
  subject?: string;
  /** Who raised it (an address, or a name). */
  requester?: string;
  /** Whom it is about, when a header says so. */
  subjectUser?: string;
}

function personIn(value: string): string | undefined {
  const email = emailRe.exec(value)?.[0];
  if (email) return email.toLowerCase();
  const name = value.replace(/[<(\[].*$/, '').trim();
  return /^[\p{L}][\p{L}'’.\- ]{1,60}$/u.test(name) ? name : undefined;
}

/** The ticket in the text, or undefined when the text is not one (a chat message). */
export function readTicket(text: string): Ticket | undefined {
  if (!text.includes('\n') || !text.includes(':')) return undefined;
  const lines = text.split(/\r?\n/);
  const headers: Array<[string, string]> = [];
  const body: string[] = [];
  let signedOff = false;
  let inBodyHeader = false;
  for (const line of lines) {
    const trimmed = line.trim();
    const h = headerRe.exec(line);
    if (h && !signedOff) {
      const name = h[1]!.toLowerCase().replace(/\s+/g, ' ');
      headers.push([name, h[2]!.trim()]);
      inBodyHeader = bodyHeaders.test(name);
      if (inBodyHeader && h[2]!.trim()) body.push(h[2]!.trim());
      continue;
    }
    if (signedOff) continue;
    if (!trimmed) { inBodyHeader = false; body.push(''); continue; }
    if (trimmed.startsWith('>')) continue;
    if (/^--\s*$/.test(trimmed) || /^_{3,}$/.test(trimmed) || /^sent from my/i.test(trimmed)) { signedOff = true; continue; }
    if (signOff.test(trimmed)) { signedOff = true; continue; }
    if (greeting.test(trimmed)) continue;
    body.push(trimmed);
  }
  if (headers.length < 2 && !(headers.length === 1 && subjectHeaders.test(headers[0]![0]) && body.some(Boolean))) return undefined;
  const ticket: Ticket = { body: body.join('\n').replace(/\n{3,}/g, '\n\n').trim() };
  for (const [name, value] of headers) {
    if (!value) continue;
    if (subjectHeaders.test(name) && ticket.subject === undefined) ticket.subject = value;
    else if (requesterHeaders.test(name) && ticket.requester === undefined) {
      const p = personIn(value);
      if (p) ticket.requester = p;
    } else if (subjectUserHeaders.test(name) && ticket.subjectUser === undefined) {
      const p = personIn(value);
      if (p) ticket.subjectUser = p;
    }
  }
  return ticket;
}
