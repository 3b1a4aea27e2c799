import { badUserInput } from '../../../lib/errors.js';

/** Most SKUs one `stockLevels` call may ask for: enough for a page, small enough for one query. */
export const MAX_SKUS = 500;
/** Most locations one filter may name. */
export const MAX_LOCATION_IDS = 1_000;

/** The SKUs to look up, once each, in the order asked; BAD_USER_INPUT when too many or blank. */
export function checkSkus(skus: readonly string[]): string[] {
  if (skus.length > MAX_SKUS) throw badUserInput(`stockLevels takes at most ${MAX_SKUS} skus; got ${skus.length}.`, { argumentName: 'skus', max: MAX_SKUS });
  if (skus.some((s) => s.trim() === '')) throw badUserInput('skus must not be blank.', { argumentName: 'skus' });
  return [...new Set(skus)];
}

/** A location filter: undefined (null or absent) means every location; [] means none. */
export function checkLocationIds(locationIds: readonly string[] | null | undefined): readonly string[] | undefined {
  if (locationIds === null || locationIds === undefined) return undefined;
  if (locationIds.length > MAX_LOCATION_IDS) {
    throw badUserInput(`locationIds takes at most ${MAX_LOCATION_IDS} ids; got ${locationIds.length}.`, { argumentName: 'locationIds', max: MAX_LOCATION_IDS });
  }
  return locationIds;
}
