import type { SiteLimit } from './site-limit.js';

/**
 * A place that groups stations (a car park, a mall), by which users may be scoped; its grid
 * connection's limit is shared among its charging sessions (SiteLimit).
 */
export interface Site extends SiteLimit {
  id: number;
  name: string;
  address: string | null;
  /** WGS 84 degrees, −90 to 90; null with longitude when the site has no position. */
  latitude: number | null;
  /** WGS 84 degrees, −180 to 180. */
  longitude: number | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The fields at fault when a position has one coordinate without the other: a site has both
 * or neither. Empty when the pair is fine.
 */
export function incompletePosition(latitude: number | null, longitude: number | null): string[] {
  if ((latitude === null) === (longitude === null)) return [];
  return latitude === null ? ['latitude'] : ['longitude'];
}
