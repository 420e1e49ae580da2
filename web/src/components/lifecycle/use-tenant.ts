// Lifecycle workflows belong to one tenant: pages take it from the address (?tenant=, so a link
// opens the same workflow whoever follows it) or else from the tenant switcher.
import { usePath } from '../../lib/router.ts';
import { useSession } from '../../lib/session.ts';

export function useLcwTenant(): { tenantId: string | undefined; tenantName: string; q: string; canWrite: boolean } {
  const { search } = usePath();
  const session = useSession();
  const tenantId = search.get('tenant') ?? session.tenant?.id;
  const role = session.me.user.role;
  return {
    tenantId,
    tenantName: tenantId ? session.tenantName(tenantId) : '',
    q: tenantId ? `?tenant=${encodeURIComponent(tenantId)}` : '',
    // LifecycleWorkflows.ReadWrite.All maps to the reviewer and admin roles.
    canWrite: role === 'admin' || role === 'reviewer',
  };
}

export const WRITE_HINT = 'Changing lifecycle workflows needs LifecycleWorkflows.ReadWrite.All, which Tenantflow grants to reviewers and admins.';
