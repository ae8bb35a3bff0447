/** Display formats, by locale: `id` uses Indonesian conventions (comma decimals). */

function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : 'id-ID';
}

export function formatNumber(value: number, locale: string, digits = 1): string {
  return new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** Wh as kWh with two decimals; a dash for null. */
export function formatEnergy(wh: number | null | undefined, locale: string): string {
  if (wh === null || wh === undefined) return '—';
  return `${formatNumber(wh / 1000, locale, 2)} kWh`;
}

export function formatPower(kw: number | null | undefined, locale: string): string {
  if (kw === null || kw === undefined) return '—';
  return `${formatNumber(kw, locale, 1)} kW`;
}

export function formatSoc(soc: number | null | undefined, locale: string): string {
  if (soc === null || soc === undefined) return '—';
  return `${formatNumber(soc, locale, 0)} %`;
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'short', timeStyle: 'medium' }).format(
    date,
  );
}

export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'medium' }).format(date);
}

/** `1 j 05 m` (`1 h 05 m` in English), `4 m 09 d`, `12 d`: the span up to now when still open. */
export function formatDuration(
  fromIso: string,
  toIso: string | null,
  locale: string,
  now = Date.now(),
): string {
  const end = toIso ? Date.parse(toIso) : now;
  const seconds = Math.max(0, Math.round((end - Date.parse(fromIso)) / 1000));
  if (Number.isNaN(seconds)) return '—';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const h = locale === 'en' ? 'h' : 'j';
  const s = locale === 'en' ? 's' : 'd';
  if (hours > 0) return `${hours} ${h} ${String(minutes).padStart(2, '0')} m`;
  if (minutes > 0) return `${minutes} m ${String(seconds % 60).padStart(2, '0')} ${s}`;
  return `${seconds} ${s}`;
}
