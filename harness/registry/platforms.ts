import { InputError } from '../model/errors.ts';
import type { PlatformAdapter } from '../model/index.ts';
import { ReferenceAdapter } from '../../platforms/reference/index.ts';

/** Every platform adapter, by name. Constructing one is cheap: nothing starts before deploy. */
export const PLATFORMS: ReadonlyMap<string, () => PlatformAdapter> = new Map([
  ['reference', () => new ReferenceAdapter()],
]);

export function platformByName(name: string): () => PlatformAdapter {
  const create = PLATFORMS.get(name);
  if (!create) throw new InputError('E_UNKNOWN_PLATFORM', `unknown platform '${name}': expected one of ${[...PLATFORMS.keys()].join(', ')}`);
  return create;
}
