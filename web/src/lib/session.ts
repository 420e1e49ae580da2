// The signed-in person, their tenants and the tenant they are working in, shared by every page.
import { createContext, useContext } from 'react';
import type { Me, Tenant } from './types.ts';

export interface Session {
  me: Me;
  tenants: Tenant[];
  /** The tenant picked in the switcher (always one of `tenants` when there are any). */
  tenant: Tenant | undefined;
  setTenant(id: string): void;
  /** Demo tenants the embedded emulator holds, when it runs in this server. */
  demoTenants: Tenant[];
  signOut(): void;
  tenantName(id: string): string;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in app');
  return s;
}
