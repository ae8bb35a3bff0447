/** E.164, as the server checks it: a plus, a country code, at most 15 digits. */
const PHONE = /^\+[1-9]\d{6,14}$/;

/** A phone number may be left out; one given must be E.164. */
export const phoneOk = (phone: string): boolean => !phone || PHONE.test(phone.trim());
