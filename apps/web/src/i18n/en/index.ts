import type { Messages } from '../id';
import { base } from './base';
import { stations } from './stations';
import { activity } from './activity';
import { admin } from './admin';
import { sites } from './sites';

/** English, by area; each module is typed by the Indonesian one's keys. */
export const en: Messages = { ...base, ...stations, ...activity, ...admin, ...sites };
