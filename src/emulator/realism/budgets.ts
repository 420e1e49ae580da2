// Microsoft's published throttling budgets (Graph throttling-limits page), turned into the bucket
// charges one request makes. Identity & access (users, groups, licences …) is metered in resource
// units per app+tenant plus write quotas; Outlook (Exchange admin API, Graph mail) per app+mailbox.
import type { ThrottlingControl } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import type { BucketCharge } from './token-buckets.ts';

/** RU per 10 s per app+tenant by tenant size (S < 50 users, M 50–500, L > 500). */
export const RU_PER_10S = { S: 3_500, M: 5_000, L: 8_000 } as const;
export const WRITES_PER_150S = 3_000;
export const TENANT_WRITES_PER_5MIN = 18_000;
/** Per app across all tenants. */
export const APP_RU_PER_20S = 150_000;
export const APP_WRITES_PER_5MIN = 70_000;
/** Outlook: per app+mailbox. */
export const MAILBOX_CONCURRENCY = 4;
export const MAILBOX_REQUESTS_PER_10MIN = 10_000;

/** Charges of a Graph identity request: RU always, write quotas for writes. */
export function identityCharges(tenant: TenantState, appId: string, cost: number, write: boolean, th: ThrottlingControl): BucketCharge[] {
  const t = tenant.id;
  const charges: BucketCharge[] = [
    {
      key: `ru|${t}|${appId}|`, capacity: th.resourceUnitsPer10s ?? RU_PER_10S[tenant.sizeClass()], windowMs: 10_000, cost,
      scope: `Tenant_Application/ReadWrite/${appId}/${t}`, information: 'ResourceUnitLimitExceeded',
    },
    {
      key: `app-ru||${appId}|`, capacity: APP_RU_PER_20S, windowMs: 20_000, cost,
      scope: `Application/ReadWrite/${appId}/${t}`, information: 'ResourceUnitLimitExceeded',
    },
  ];
  if (write) {
    charges.push(
      {
        key: `w|${t}|${appId}|`, capacity: th.writesPer150s ?? WRITES_PER_150S, windowMs: 150_000, cost: 1,
        scope: `Tenant_Application/Write/${appId}/${t}`, information: 'WriteLimitExceeded',
      },
      {
        key: `tw|${t}||`, capacity: th.tenantWritesPer5min ?? TENANT_WRITES_PER_5MIN, windowMs: 300_000, cost: 1,
        scope: `Tenant/Write/${appId}/${t}`, information: 'WriteLimitExceeded',
      },
      {
        key: `app-w||${appId}|`, capacity: APP_WRITES_PER_5MIN, windowMs: 300_000, cost: 1,
        scope: `Application/Write/${appId}/${t}`, information: 'WriteLimitExceeded',
      },
    );
  }
  return charges;
}

/** Charge of an Outlook-metered request against the app+mailbox request budget. */
export function mailboxCharge(tenant: TenantState, appId: string, mailbox: string, th: ThrottlingControl): BucketCharge {
  return {
    key: `mbx|${tenant.id}|${appId}|${mailbox}`,
    capacity: th.exchangeRequestsPerMailboxPer10min ?? MAILBOX_REQUESTS_PER_10MIN,
    windowMs: 600_000,
    cost: 1,
    scope: `Application_Mailbox/ReadWrite/${appId}/${mailbox}`,
    information: 'MailboxRequestLimitExceeded',
  };
}

export function concurrencyKey(tenant: TenantState, appId: string, mailbox: string): string {
  return `cc|${tenant.id}|${appId}|${mailbox}`;
}

const mailPath = /^\/users\/([^/]+)\/(?:sendMail|mailboxSettings|mailFolders|messages|events|calendars?|inferenceClassification)(?:\/|$)/i;

/**
 * The mailbox a Graph request is metered against when it goes to Outlook rather than the
 * directory (mail, mailbox settings, calendar), keyed by user id so UPN and id share one budget.
 */
export function graphMailboxOf(tenant: TenantState, path: string): string | undefined {
  const m = mailPath.exec(path);
  if (!m) return undefined;
  let ref = m[1]!;
  try {
    ref = decodeURIComponent(ref);
  } catch {
    // keep the raw segment; the route will answer the bad id itself
  }
  return (tenant.user(ref)?.id ?? ref).toLowerCase();
}
