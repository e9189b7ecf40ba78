/** Functions for the example state machines (order.asl.json) and for importing outside ASL corpora. */
import type { FunctionsModule, Value } from '../../../harness/model/index.ts';

type Item = { sku: string; qty: number; unit: number };

export const functions: FunctionsModule['functions'] = {
  price: (input) => {
    const item = input as Item;
    return { sku: item.sku, amount: item.qty * item.unit };
  },
  total: (input) => ({ total: (input as { amount: number }[]).reduce((t, line) => t + line.amount, 0) }),
  hold: (input) => ({ ...(input as Record<string, Value>), status: 'held for review' }),
  ship: (input) => ({ ...(input as Record<string, Value>), status: 'shipped' }),
  /** Returns its input: stands in for any resource of a state machine whose code is not here. */
  echo: (input) => input,
};
