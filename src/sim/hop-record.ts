// Hops as they are recorded: every one counted, the latest HOPS_IN_MEMORY kept in memory, each told to listeners once over.
import type { HopEvidence } from './evidence.js';
import type { SimContext } from './sim-context.js';

/**
 * Hops a simulation keeps in memory (the latest). A hop holds both transcripts and both certificates (~10 kB): a
 * long-running lab kept every one for its life. Scenarios make a few; `lab up` also appends each to evidence.json.
 */
export const HOPS_IN_MEMORY = 500;

/** Records a hop that has just started; it is still filled in until closeHop(). */
export function openHop(ctx: SimContext, hop: HopEvidence): void {
  ctx.evidence.push(hop);
  ctx.hopsRecorded++;
  // Trimmed in steps of a fifth, so the copy is paid once per hundred hops.
  if (ctx.evidence.length > HOPS_IN_MEMORY * 1.2) ctx.evidence.splice(0, ctx.evidence.length - HOPS_IN_MEMORY);
}

/** The hop is over (both sides have written it): listeners (lab up's evidence.json) take it now. */
export function closeHop(ctx: SimContext, hop: HopEvidence): void {
  for (const l of ctx.hopListeners) {
    try {
      l(hop);
    } catch {
      // ignored on purpose: writing evidence is not part of the protocol
    }
  }
}

/** A hop that turned out to be none (an outside session that sent no mail): forgotten, never told. */
export function dropHop(ctx: SimContext, hop: HopEvidence): void {
  const i = ctx.evidence.indexOf(hop);
  if (i >= 0) ctx.evidence.splice(i, 1);
}
