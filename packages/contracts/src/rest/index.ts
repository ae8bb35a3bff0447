/**
 * The REST API's schemas (CONTRACT section 3), one per resource, in TypeBox: the server
 * validates, serializes and documents with them; the dashboard derives its types from them.
 * Import types from here with `import type` in browser code: the schemas are runtime values.
 */
export * from './charging-profiles.js';
export * from './common.js';
export * from './id-tags.js';
export * from './reservations.js';
export * from './sites.js';
export * from './station-control.js';
export * from './stations.js';
export * from './stats.js';
export * from './transactions.js';
export * from './users.js';
export * from './station-security.js';
