// Control presets: tests run with everything off; `npm start` gets mild, realistic latency so the
// demo feels like a real tenant without being slow.
import type { RealismControls } from '../state/model.ts';

export function offControls(): RealismControls {
  return { latency: { mode: 'off' }, throttling: { enabled: false }, faults: [], readAfterCreateDelayMs: 0 };
}

export function mildControls(): RealismControls {
  return { latency: { mode: 'lognormal', ms: 40, p99Ms: 250 }, throttling: { enabled: true }, faults: [], readAfterCreateDelayMs: 0 };
}
