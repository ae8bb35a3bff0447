/**
 * Secrets inside OCPP payloads are write-only: the central system sends them to a charge point
 * (and stores a hash where it needs one) but never keeps or shows them in clear, in the command
 * audit, the message log, REST answers or logs. This is the one rule for all of those.
 */

/** What a secret value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Names of configuration keys, variables and properties whose values are secrets: the OCPP 1.6
 * security whitepaper's `AuthorizationKey`, OCPP 2.0.1's `BasicAuthPassword`, and anything that
 * says password, secret or a private/API key. Matching more than needed only hides a value.
 */
const SECRET_NAME = /pass(?:word|wd|phrase)|secret|(?:authorization|private|api)key/i;

export function isSecretName(name: unknown): boolean {
  return typeof name === 'string' && SECRET_NAME.test(name);
}

type Json = Record<string, unknown>;
type Redactor = (payload: Json) => Json;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Maps the objects of `payload[field]` (an array) with `each`; anything else stays. */
function eachOf(payload: Json, field: string, each: (item: Json) => Json): Json {
  const list = payload[field];
  if (!Array.isArray(list)) return payload;
  return { ...payload, [field]: list.map((item: unknown) => (isObject(item) ? each(item) : item)) };
}

/** Replaces `item[valueField]` when the name found by `nameOf` is a secret's. */
function hideIf(item: Json, name: unknown, valueField: string): Json {
  return isSecretName(name) && valueField in item ? { ...item, [valueField]: REDACTED } : item;
}

const variableName = (item: Json): unknown => (isObject(item.variable) ? item.variable.name : undefined);

/**
 * Where each action carries a configuration value next to its name, request and response alike
 * (each action's request and response have different fields, so one entry serves both).
 */
const BY_ACTION: Readonly<Record<string, Redactor>> = {
  // OCPP 1.6 §6.9 ChangeConfiguration.req { key, value }.
  ChangeConfiguration: (payload) => hideIf(payload, payload.key, 'value'),
  // OCPP 1.6 §6.24 GetConfiguration.conf { configurationKey: [{ key, readonly, value }] }.
  GetConfiguration: (payload) =>
    eachOf(payload, 'configurationKey', (item) => hideIf(item, item.key, 'value')),
  // OCPP 2.0.1 SetVariablesRequest { setVariableData: [{ attributeValue, variable: { name } }] }.
  SetVariables: (payload) =>
    eachOf(payload, 'setVariableData', (item) => hideIf(item, variableName(item), 'attributeValue')),
  // OCPP 2.0.1 GetVariablesResponse { getVariableResult: [{ attributeValue, variable: { name } }] }.
  GetVariables: (payload) =>
    eachOf(payload, 'getVariableResult', (item) => hideIf(item, variableName(item), 'attributeValue')),
  // OCPP 2.0.1 NotifyReportRequest { reportData: [{ variable: { name }, variableAttribute: [{ value }] }] }.
  NotifyReport: (payload) =>
    eachOf(payload, 'reportData', (item) =>
      isSecretName(variableName(item))
        ? eachOf(item, 'variableAttribute', (attribute) =>
            'value' in attribute ? { ...attribute, value: REDACTED } : attribute,
          )
        : item,
    ),
};

/**
 * The password of a URL's user information (`ftp://user:password@host/...`), as operators give
 * them in `GetDiagnostics.location`, `UpdateFirmware.location`, `GetLog.log.remoteLocation`:
 * the user name stays readable, the password does not.
 */
// Up to the last `@`: a password with an unencoded `/` or `@` is hidden whole (with what
// follows it up to there, which only hides more than needed).
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@\s:]*):\S*@/i;

export function hideUrlPassword(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${REDACTED}@`);
}

/**
 * Any property whose own name says it holds a secret (`basicAuthPassword`, ...), and the
 * password in any URL, at any depth.
 */
function hideSecretProperties(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return hideUrlPassword(value);
  if (depth > 32) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => hideSecretProperties(item, depth + 1));
  if (!isObject(value)) return value;
  // fromEntries defines own properties: a `__proto__` key a charge point sent stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [
      name,
      isSecretName(name) && (typeof inner === 'string' || typeof inner === 'number')
        ? REDACTED
        : hideSecretProperties(inner, depth + 1),
    ]),
  );
}

/**
 * Whether hideSecretProperties would change anything in `value`: read without copying, so that
 * the frames of every message (meter values, transaction events), which hold no secret, are
 * logged without a copy of each of their objects.
 */
function holdsSecretProperties(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return URL_PASSWORD.test(value);
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item: unknown) => holdsSecretProperties(item, depth + 1));
  for (const [name, inner] of Object.entries(value)) {
    if (isSecretName(name) && (typeof inner === 'string' || typeof inner === 'number')) return true;
    if (holdsSecretProperties(inner, depth + 1)) return true;
  }
  return false;
}

/**
 * An OCPP payload (request or response) of `action` with every secret replaced by `REDACTED`;
 * the input is not changed (a payload without secrets is answered as it is). Anything that is
 * not an object passes as it is.
 */
export function redactOcppPayload(action: string | null, payload: unknown): unknown {
  // Own entries only: an action named `__proto__` or `toString` (a rogue frame) has no redactor.
  const byAction = action !== null && Object.hasOwn(BY_ACTION, action) ? BY_ACTION[action] : undefined;
  const shaped = byAction && isObject(payload) ? byAction(payload) : payload;
  return holdsSecretProperties(shaped) ? hideSecretProperties(shaped) : shaped;
}
