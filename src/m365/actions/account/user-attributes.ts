// The user attributes update-user may change, how each is checked, which of them on-premises AD
// owns for a synced user, and how a live value is compared with a wanted one.
import { z } from 'zod';
import type { ActionContext } from '../action.ts';
import { usageLocationParam } from '../support/schemas.ts';

/** Attributes set with PATCH /users/{id}; manager is a reference and handled apart. */
export const ATTRIBUTES = [
  'displayName', 'givenName', 'surname', 'department', 'jobTitle', 'officeLocation', 'mobilePhone',
  'city', 'country', 'companyName', 'usageLocation', 'employeeHireDate', 'employeeLeaveDateTime',
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];
export type Field = Attribute | 'manager';

/**
 * Writable in the cloud even for a synced user: Entra Connect does not sync these by default.
 * Everything else (names, job data, phone, address, manager) is mastered in on-premises AD.
 */
export const CLOUD_MASTERED: ReadonlySet<Field> = new Set<Field>(['usageLocation', 'employeeHireDate', 'employeeLeaveDateTime']);

const DATE_FIELDS: ReadonlySet<Field> = new Set<Field>(['employeeHireDate', 'employeeLeaveDateTime']);

const text = (max: number, what: string) => z.string().trim().min(1).max(max).nullable().optional().describe(`${what} null clears it.`);

/** Graph's DateTimeOffset as it prints it: whole seconds, UTC, no milliseconds. */
export function graphDateTime(value: string): string {
  const iso = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

const dateTime = (what: string) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform(graphDateTime).nullable().optional()
    .describe(`${what} A date (2025-03-31) or date and time (2025-03-31T17:00:00Z); null clears it.`);

export const attributeSchemas = {
  displayName: z.string().trim().min(1).max(256).optional().describe('The name shown in the address book.'),
  givenName: text(64, 'First name.'),
  surname: text(64, 'Last name.'),
  department: text(64, 'Department.'),
  jobTitle: text(128, 'Job title.'),
  officeLocation: text(128, 'Office location.'),
  mobilePhone: text(64, 'Mobile phone number.'),
  city: text(128, 'City.'),
  country: text(128, 'Country or region.'),
  companyName: text(64, 'Company name.'),
  usageLocation: usageLocationParam.nullable().optional().describe('Two-letter country code where the user works (needed for licences); null clears it.'),
  employeeHireDate: dateTime('Hire date (joiner workflows trigger on it).'),
  employeeLeaveDateTime: dateTime('Leave date and time (leaver workflows trigger on it).'),
};

export function sameValue(field: Field, live: unknown, wanted: unknown): boolean {
  if (live === undefined || live === '') live = null;
  if (live === null || wanted === null) return live === wanted;
  if (DATE_FIELDS.has(field)) return Date.parse(String(live)) === Date.parse(String(wanted));
  if (field === 'usageLocation') return String(live).toUpperCase() === String(wanted).toUpperCase();
  return live === wanted;
}

export type LiveAttributes = { id: string; userPrincipalName: string; onPremisesSyncEnabled: boolean | null } & Record<Attribute, string | null>;

export async function readAttributes(ctx: ActionContext, userId: string): Promise<LiveAttributes> {
  const select = ['id', 'userPrincipalName', 'onPremisesSyncEnabled', ...ATTRIBUTES].join(',');
  return ctx.graph.get<LiveAttributes>(`/users/${userId}`, { query: { $select: select } });
}
