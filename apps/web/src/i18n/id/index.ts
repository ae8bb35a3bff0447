import { base } from './base';
import { stations } from './stations';
import { activity } from './activity';
import { admin } from './admin';
import { sites } from './sites';

/**
 * Indonesian, the default language, by area. Every key here must exist in English too: en's
 * modules are typed by these (and a test compares the two).
 */
export const id = { ...base, ...stations, ...activity, ...admin, ...sites };

export type Messages = typeof id;
