// First start with an empty store: create the `admin` account. Its password comes from
// TENANTFLOW_ADMIN_PASSWORD, or is generated and printed once (it is never logged).
import { randomToken } from '../core/ids.ts';
import type { AccountsRepo } from '../store/accounts-repo.ts';

export async function ensureAdmin(accounts: AccountsRepo, envPassword = process.env.TENANTFLOW_ADMIN_PASSWORD): Promise<{ created: boolean; generatedPassword?: string }> {
  if ((await accounts.count()) > 0) return { created: false };
  const password = envPassword && envPassword.length >= 10 ? envPassword : randomToken(12);
  try {
    await accounts.create({ username: 'admin', password, role: 'admin', tenants: ['*'] });
  } catch (e) {
    // Another process created it first.
    if ((await accounts.count()) > 0) return { created: false };
    throw e;
  }
  return envPassword && envPassword.length >= 10 ? { created: true } : { created: true, generatedPassword: password };
}
