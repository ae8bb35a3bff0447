/**
 * `work`, or a rejection with "`what` gave no answer within `ms` ms" if it takes longer. The
 * work itself goes on (a promise cannot be cancelled); its late result is ignored.
 */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
