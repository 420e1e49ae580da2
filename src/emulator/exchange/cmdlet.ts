// How an Exchange cmdlet is declared for the adminapi InvokeCommand surface.
import type { AccessClaims } from '../auth/tokens.ts';
import type { EmulatorStore } from '../state/store.ts';
import type { TenantState } from '../state/tenant-state.ts';

/**
 * How a parameter value is bound (PowerShell-style conversion):
 * - string: scalar text (numbers and booleans become text); null stays null (clears a property)
 * - bool: true/false, "true"/"$true"/1 and their opposites
 * - strings: one value or an array, as string[]
 * - date: anything Date can parse, as an ISO string
 * - resultSize: "Unlimited" or a positive integer
 * - multiValued: a plain value/array (replace) or {"@odata.type":"#Exchange.GenericHashTable", add, remove}
 * - any: accepted and not interpreted (common parameters such as Confirm or ErrorAction)
 */
export type ParamKind = 'string' | 'bool' | 'strings' | 'date' | 'resultSize' | 'multiValued' | 'any';

export interface MultiValuedChange {
  replace?: string[];
  add?: string[];
  remove?: string[];
}

/** Bound parameters, keyed by the cmdlet's canonical parameter name. */
export interface BoundParams {
  [name: string]: string | string[] | boolean | number | null | MultiValuedChange | undefined;
}

export interface CmdletContext {
  tenant: TenantState;
  store: EmulatorStore;
  claims: AccessClaims;
  now: number;
  /** X-AnchorMailbox header, if sent. */
  anchorMailbox: string | undefined;
  /** Adds a line to @adminapi.warnings, as PowerShell's Write-Warning would. */
  warn: (message: string) => void;
}

export interface CmdletDef {
  name: string;
  /** Mutating cmdlets are recorded in the ledger and count as writes. */
  write: boolean;
  /** Parameters the cmdlet accepts, canonical names (matching is case-insensitive). */
  parameters: Readonly<Record<string, ParamKind>>;
  /** Parameters that must be given. */
  required?: readonly string[];
  /** The parameter naming the mailbox the call targets (per-mailbox throttling when no anchor is sent). */
  mailboxParam?: string;
  /** Returns the objects the cmdlet outputs (empty for most Set-/Add-/Remove- cmdlets). */
  run: (params: BoundParams, ctx: CmdletContext) => Array<Record<string, unknown>>;
}

/** PowerShell's common and risk-mitigation parameters, accepted by every cmdlet and not interpreted. */
export const commonParameters: Readonly<Record<string, ParamKind>> = {
  Confirm: 'any', ErrorAction: 'any', WarningAction: 'any', InformationAction: 'any', Verbose: 'any', Debug: 'any',
  ErrorVariable: 'any', WarningVariable: 'any', InformationVariable: 'any', OutVariable: 'any', OutBuffer: 'any', PipelineVariable: 'any',
};
