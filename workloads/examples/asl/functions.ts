/** Functions for the example state machines (order.asl.json, booking.asl.json) and for importing outside ASL corpora. */
import { FunctionError, type CaughtError, type FunctionsModule, type Value } from '../../../harness/model/index.ts';

type Item = { sku: string; qty: number; unit: number };

export const functions: FunctionsModule['functions'] = {
  price: (input) => {
    const item = input as Item;
    return { sku: item.sku, amount: item.qty * item.unit };
  },
  total: (input) => ({ total: (input as { amount: number }[]).reduce((t, line) => t + line.amount, 0) }),
  hold: (input) => ({ ...(input as Record<string, Value>), status: 'held for review' }),
  ship: (input) => ({ ...(input as Record<string, Value>), status: 'shipped' }),
  /** booking: reserves seats, or fails with SoldOut when more are asked for than the flight has. */
  reserve: (input) => {
    const { flight, seats } = input as { flight: string; seats: number };
    if (seats > 4) throw new FunctionError('SoldOut', `flight ${flight} has 4 seats left, ${seats} asked for`);
    return { flight, seats, reservation: `${flight}-${seats}` };
  },
  /** booking's catch handler: what went wrong, for the request it was. */
  apologise: (input) => {
    const { error, cause, input: request } = input as unknown as CaughtError;
    return { ...(request as Record<string, Value>), status: 'not booked', error, cause };
  },
  confirm: (input) => ({ ...(input as Record<string, Value>), status: (input as Record<string, Value>)['status'] ?? 'booked' }),
  /** Returns its input: stands in for any resource of a state machine whose code is not here. */
  echo: (input) => input,
};
