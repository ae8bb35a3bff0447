import { PHONE_NUMBER_PATTERN } from '@cimorings/contracts';

/** E.164, as the server checks it (the contracts' pattern). */
const PHONE = new RegExp(PHONE_NUMBER_PATTERN);

/** A phone number may be left out; one given must be E.164. */
export const phoneOk = (phone: string): boolean => !phone || PHONE.test(phone.trim());
