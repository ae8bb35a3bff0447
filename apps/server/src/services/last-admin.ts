import { AppError } from '../errors.js';
import { LastAdminError } from '../repositories/admin-guard.js';

/** Runs a change made with `keepAnAdmin`, answering LAST_ADMIN when it was refused. */
export async function lastAdminKept<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof LastAdminError) {
      throw new AppError('LAST_ADMIN', 'This is the last active administrator');
    }
    throw error;
  }
}
