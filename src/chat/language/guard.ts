// Input that must never become a card: nothing to read, code pasted in (SQL, script, shell,
// template injection), and tenant-wide destruction. The chat answers these politely instead.
import type { ClauseView } from './view.ts';

const codePatterns: RegExp[] = [
  /\b(select\s+[\w*,\s]+\s+from|insert\s+into|delete\s+from|drop\s+(table|database|schema|user)|truncate\s+table|alter\s+table|union\s+(all\s+)?select|exec(ute)?\s+(xp_|sp_))\b/i,
  /\bupdate\s+\w+\s+set\s+\w+\s*=/i,
  /'\s*(or|and)\s+'?\d*'?\s*=\s*'?\d*|'\s*;\s*--|;\s*--\s|\/\*.*\*\//i,
  /<\s*\/?\s*(script|iframe|img|svg|object|embed|style)\b|javascript:|on(error|load|click)\s*=/i,
  /\$\(|\$\{|\{\{|`[^`\n]+`|\|\s*(sh|bash|zsh|pwsh|powershell)\b|\brm\s+-rf?\b|\bsudo\s|\bcurl\s+\S+|\bwget\s|\bchmod\s|&&\s*\w|\beval\s*\(|\bexec\s*\(|\bimport\s+os\b|__import__|\bprocess\.env\b|\brequire\s*\(/i,
  /^\s*(get|set|new|remove|add|invoke|start|stop|connect|update|disable|enable)-[a-z]+\b.*\s-[a-z]+/im,
  /\b(function\s*\w*\s*\(|=>\s*\{|console\.log|System\.|Runtime\.getRuntime)/,
];

/** Whether the text carries something readable at all (letters). */
export function isEmpty(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

export function looksLikeCode(text: string): boolean {
  const head = text.length > 4000 ? text.slice(0, 4000) : text;
  return codePatterns.some((re) => re.test(head));
}

/**
 * "delete everything in the tenant", "disable all users", "reset everyone's password": a
 * destructive verb over the whole tenant with no one person named.
 */
export function isBulkDestruction(v: ClauseView): boolean {
  const destructive = v.has('DELETE', 'REMOVE', 'DISABLE', 'RESET', 'REVOKE', 'SIGNOUT', 'OFFBOARD', 'STOP', 'CHANGE', 'CONVERT');
  if (!destructive) return false;
  const wide = v.has('EVERYTHING') || (v.has('ALL') && v.has('USER', 'ACCOUNT', 'MAILBOX', 'GROUP', 'LICENSE', 'PASSWORD', 'MFA', 'SESSION') && !v.refs().some((r) => r.kind === 'email' || r.kind === 'name'))
    || (v.has('TENANT') && v.has('DELETE', 'REMOVE', 'DISABLE'));
  if (!wide) return false;
  if (v.has('DELETE') && v.has('EVERYTHING', 'TENANT')) return true;
  return !v.refs().some((r) => r.kind === 'email' || r.kind === 'pointer' || (r.kind === 'name' && v.items[r.at]!.cap));
}
