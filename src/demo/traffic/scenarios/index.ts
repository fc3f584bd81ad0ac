import type { Random } from '../../random.ts';
import { browse } from './browse.ts';
import type { Scenario } from './context.ts';
import { b2bOrder, carrierScan, paymentNotification, supportLookup } from './inbound.ts';
import { DECLINE_RATE, orderToCash } from './order-to-cash.ts';
import {
  affiliateConversion,
  cataloguePublish,
  hubPoll,
  marketplaceImport,
  offerPublish,
  refund,
  stockImport,
} from './outbound.ts';

export {
  amount,
  chance,
  createScenarioContext,
  latency,
  pick,
  type Scenario,
  type ScenarioContext,
  type ScenarioOutput,
  statusOf,
  within,
} from './context.ts';
export { DECLINE_RATE };

/** Every scenario of the example ecosystem, in no particular order. */
export const SCENARIOS: readonly Scenario[] = [
  orderToCash,
  browse,
  paymentNotification,
  carrierScan,
  supportLookup,
  b2bOrder,
  marketplaceImport,
  offerPublish,
  cataloguePublish,
  refund,
  affiliateConversion,
  hubPoll,
  stockImport,
];

/**
 * Picks scenarios by weight.
 * @example
 * const next = scenarioPicker(SCENARIOS);
 * next(random).run(context);
 */
export function scenarioPicker(scenarios: readonly Scenario[]): (random: Random) => Scenario {
  const total = scenarios.reduce((sum, s) => sum + s.weight, 0);
  if (scenarios.length === 0 || !(total > 0))
    throw new RangeError('scenarios: expected at least one with a weight above 0');
  return (random) => {
    let u = random() * total;
    for (const scenario of scenarios) {
      u -= scenario.weight;
      if (u < 0) return scenario;
    }
    return scenarios[scenarios.length - 1] as Scenario;
  };
}
