import type { TriggerSpec } from '../app.ts';
import { ByBatchSizeTrigger } from './by-batch-size.ts';
import { ByNameTrigger } from './by-name.ts';
import { BySetTrigger } from './by-set.ts';
import { ByTimeTrigger } from './by-time.ts';
import { DynamicGroupTrigger } from './dynamic-group.ts';
import { DynamicJoinTrigger } from './dynamic-join.ts';
import { ImmediateTrigger } from './immediate.ts';
import { RedundantTrigger } from './redundant.ts';
import type { Emission, Trigger } from './trigger.ts';

/** The trigger for a spec; `onTimer` receives what time-driven triggers fire on their own. */
export function createTrigger(spec: TriggerSpec, onTimer: (emissions: Emission[]) => void): Trigger {
  switch (spec.primitive) {
    case 'immediate':
      return new ImmediateTrigger();
    case 'byName':
      return new ByNameTrigger(spec.name);
    case 'bySet':
      return new BySetTrigger(spec.set);
    case 'dynamicJoin':
      return new DynamicJoinTrigger();
    case 'byBatchSize':
      return new ByBatchSizeTrigger(spec.size);
    case 'byTime':
      return new ByTimeTrigger(spec, onTimer);
    case 'redundant':
      return new RedundantTrigger(spec.k);
    case 'dynamicGroup':
      return new DynamicGroupTrigger();
  }
}
