import { hash, verify } from '@node-rs/argon2';

/** Hashes and checks passwords; argon2id with the library's defaults (OWASP's minimums). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password);
    } catch {
      // A malformed stored hash is a failed login, not a crash.
      return false;
    }
  },
};
