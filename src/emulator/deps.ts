// What every emulator surface shares within one running emulator.
import type { TokenService } from './auth/tokens.ts';
import type { GraphPipeline } from './graph/pipeline.ts';
import type { Ledger } from './realism/ledger.ts';
import type { Realism } from './realism/realism.ts';
import type { EmulatorStore } from './state/store.ts';

export interface EmulatorDeps {
  store: EmulatorStore;
  tokens: TokenService;
  ledger: Ledger;
  realism: Realism;
  graph: GraphPipeline;
  now: () => number;
  /** Where the snapshot and certificate live. */
  dataDir: string;
  /** Marks state dirty so the snapshot is written soon. */
  markDirty: () => void;
}
