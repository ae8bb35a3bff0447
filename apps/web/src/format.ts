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

/** `1 jam 05 mnt`, `4 mnt 09 dtk`, `12 dtk` (English: `1 h 05 min`, ...); open spans run to now. */
export function formatDuration(
  fromIso: string,
  toIso: string | null,
  locale: string,
  now = Date.now(),
): string {
  const end = toIso ? Date.parse(toIso) : now;
  const seconds = Math.max(0, Math.round((end - Date.parse(fromIso)) / 1000));
  if (Number.isNaN(seconds)) return '—';
  const [h, m, s] = locale === 'en' ? ['h', 'min', 's'] : ['jam', 'mnt', 'dtk'];
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (hours > 0) return `${hours} ${h} ${pad(minutes)} ${m}`;
  if (minutes > 0) return `${minutes} ${m} ${pad(seconds % 60)} ${s}`;
  return `${seconds} ${s}`;
}

/** How far a clock is off, without its sign: `3 h 05 min`, or whole days from one day on. */
export function formatClockOffset(seconds: number, locale: string): string {
  const size = Math.abs(Math.round(seconds));
  if (size >= 86_400) return `${Math.round(size / 86_400)} ${locale === 'en' ? 'd' : 'hari'}`;
  return formatDuration(new Date(0).toISOString(), new Date(size * 1000).toISOString(), locale);
}

/** Axis labels of a time axis: `15.27.32` (id) or `15:27:32` (en), from epoch seconds. */
export function timeAxisLabels(locale: string): (u: unknown, splits: number[]) => string[] {
  const format = new Intl.DateTimeFormat(intlLocale(locale), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  // Ticks closer than the format's resolution would repeat a label: show each label once.
  return (_u, splits) =>
    splits.map((t, i) => {
      const label = format.format(new Date(t * 1000));
      const previous = i > 0 ? format.format(new Date((splits[i - 1] as number) * 1000)) : null;
      return label === previous ? '' : label;
    });
}

/** The connector a transaction or a reservation is at. */
export interface AtConnector {
  chargePointId: string;
  connectorId: number;
}

/** Where a transaction or a reservation is: `CS001 · 2` (the charge point, then the connector). */
export function formatConnector(at: AtConnector): string {
  return `${at.chargePointId} · ${at.connectorId}`;
}
