// What the chat says back: what it proposed, what it still needs, and, when it cannot help, a
// polite answer that says what it can do.
import type { Refusal } from './intent.ts';
import type { Question } from './questions.ts';

export const capabilities = [
  'accounts: reset a password or MFA, sign someone out everywhere, disable or enable, create, update, delete or restore a user, issue a Temporary Access Pass',
  'licences: assign, remove, swap, or audit what is in use',
  'groups: add or remove members, create a group, list its members',
  'mail: out of office, forwarding, convert to a shared mailbox, Full Access, Send As and Send on Behalf, send an email',
  'security: audit a user\'s sign-in methods and mailbox rules',
  'workflows: onboard a joiner, offboard a leaver, a role change, a security incident response',
];

const example = 'For example: "reset password megan.bowen@contoso.com", "offboard joni.sherman@contoso.com", or "assign E3 to alex.wilber@contoso.com".';

export function capabilityText(): string {
  return `I can help with Microsoft 365 requests for one tenant at a time:\n- ${capabilities.join('\n- ')}\nEvery change comes to you as a card to approve first. ${example}`;
}

export function refusalReply(r: Refusal, length = 0): string {
  switch (r) {
    case 'empty':
      return `I didn't catch a request there. ${capabilityText()}`;
    case 'code':
      return `That looks like code, a query or a script, and I don't run those. Tell me in plain words what you need. ${capabilityText()}`;
    case 'bulk':
      return `I won't do that across the whole tenant. Each card names one user, group or licence and is approved on its own, so nothing sweeping happens by accident. Name the people it is for. ${capabilityText()}`;
    case 'long':
      return `That message is too long for me to read as a request (${length.toLocaleString('en')} characters). Paste just the request, or the ticket with its Subject line. ${example}`;
    case 'unknown':
      return `Sorry, that is not something I can do here. ${capabilityText()}`;
    case 'help':
      return capabilityText();
  }
}

export function questionText(questions: readonly Question[]): string {
  return questions.map((q) => {
    const choices = q.choices?.length ? ` Choices: ${q.choices.slice(0, 6).map((c) => c.label).join('; ')}${q.choices.length > 6 ? '; …' : ''}.` : '';
    return `${q.question}${choices}`;
  }).join('\n');
}
