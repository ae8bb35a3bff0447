/** How long the object URL of a downloaded file stays valid, ms (the browser has read it by then). */
const REVOKE_AFTER_MS = 10_000;

/** Makes the browser save `blob` as `filename`. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
