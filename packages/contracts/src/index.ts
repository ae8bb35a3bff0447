export * from './permissions.js';
export * from './errors.js';
export * from './users.js';
export * from './lists.js';
export * from './realtime.js';
export * from './duration.js';
