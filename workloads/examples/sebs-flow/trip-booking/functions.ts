/**
 * A trip-booking saga in SeBS-Flow's format (definition.json, written for Baton after
 * SeBS-Flow's 6200.trip-booking): reserve a hotel, a car and a flight; when a reservation
 * fails, cancel what was reserved before it, in reverse order. A full flight is a correct
 * outcome (the trip is cancelled), not a failed run.
 */
import { FunctionError, type CaughtError, type FunctionsModule, type Value } from '../../../../harness/model/index.ts';

type Trip = Record<string, Value>;

/** A failure path's first step gets what was caught; later steps get the trip so far. */
const tripOf = (input: Value): { trip: Trip; failed?: string } => {
  const caught = input as unknown as Partial<CaughtError>;
  return typeof caught.error === 'string' && 'input' in caught ? { trip: caught.input as Trip, failed: caught.error } : { trip: input as Trip };
};

export const functions: FunctionsModule['functions'] = {
  reserve_hotel: (input) => ({ ...(input as Trip), hotel: `hotel-${String((input as Trip)['trip'])}` }),
  reserve_car: (input) => {
    if ((input as Trip)['cars'] === 0) throw new FunctionError('NoCar', 'no car left');
    return { ...(input as Trip), car: `car-${String((input as Trip)['trip'])}` };
  },
  reserve_flight: (input) => {
    if ((input as Trip)['seats'] === 0) throw new FunctionError('FlightFull', `flight for ${String((input as Trip)['trip'])} is full`);
    return { ...(input as Trip), flight: `flight-${String((input as Trip)['trip'])}` };
  },
  confirm: (input) => ({ ...(input as Trip), status: 'confirmed' }),
  cancel_car: (input) => {
    const { trip, failed } = tripOf(input);
    return { ...trip, car: null, status: 'cancelled', ...(failed ? { reason: failed } : {}) };
  },
  cancel_hotel: (input) => {
    const { trip, failed } = tripOf(input);
    return { ...trip, hotel: null, status: 'cancelled', ...(failed ? { reason: failed } : {}) };
  },
};
