// Parameter schemas shared by the actions, with the canonical names the chat and API use:
// user, displayName, sku, fromSku, toSku, group, name, forwardTo, message, delegate, accessRights,
// department, jobTitle, usageLocation.
import { z } from 'zod';

const address = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A UPN or email address (guest UPNs with #EXT# included). */
export const userParam = z.string().trim().min(1, 'A user is required.').regex(address, 'Invalid email format.')
  .describe('The user: their user principal name or email address, e.g. john.doe@contoso.com.');

export const emailParam = (what: string) => z.string().trim().regex(address, 'Invalid email format.').describe(what);

export const skuParam = z.string().trim().min(1).max(100)
  .describe('A licence: a friendly name ("E3", "Business Premium", "Visio"), a skuPartNumber or a skuId.');

export const groupParam = z.string().trim().min(1).max(256)
  .describe('A group: its display name, email address or object id.');

export const usageLocationParam = z.string().trim().regex(/^[A-Za-z]{2}$/, 'Invalid usage location: use a two-letter ISO 3166 country code.')
  .transform((s) => s.toUpperCase())
  .describe('Two-letter ISO 3166 country code, e.g. US, GB, DE.');

export const messageParam = z.string().max(8000).describe('The message text.');

/** How to fix a bad value of each canonical parameter, given the tenant's domain. */
export function fixFor(param: string, value: unknown, domain: string): string | undefined {
  const v = typeof value === 'string' ? value.trim() : '';
  const local = v.split('@')[0] || 'john.doe';
  switch (param) {
    case 'user':
    case 'delegate':
    case 'forwardTo':
    case 'manager':
    case 'owners':
    case 'members':
    case 'to':
    case 'cc':
      // Only an address without a domain is fixed by adding one; anything else is just malformed.
      return v && !v.includes('@') ? `Provide the full address, ${local}@${domain}.` : `Provide a full address such as ${local.replace(/[^\w.-]/g, '') || 'john.doe'}@${domain}.`;
    case 'usageLocation':
      return 'Use a two-letter country code such as US, GB or DE.';
    case 'sku':
    case 'fromSku':
    case 'toSku':
      return 'Use a licence name such as "Microsoft 365 E3", a partNumber such as SPE_E3, or a skuId.';
    case 'accessRights':
      return /^send\s*as$/i.test(v) ? 'Send As is its own action: use add-send-as (or remove-send-as).' : 'Use FullAccess or SendOnBehalf.';
    default:
      return undefined;
  }
}
