import { protocolSchemas } from '@cimorings/ocpp/schemas';
import { createValidator } from 'ocpp-rpc';

/**
 * ocpp-rpc 2.2 looks a message's schema up as `urn:<Action>.req` / `urn:<Action>.conf`, the ids of
 * the 1.6 and 2.0.1 schemas; the OCPP 2.1 schemas it ships are named `urn:<Action>Request` /
 * `urn:<Action>Response`, so its own 2.1 validator finds none and refuses every message. This
 * validator holds the same official 2.1 schemas under the ids ocpp-rpc asks for; given as
 * `strictModeValidators`, it replaces the library's one for `ocpp2.1`.
 */
export function ocpp21Validator(): Validator {
  compiled ??= compile();
  return compiled;
}

type Validator = ReturnType<typeof createValidator>;
/** Compiled once per process: Ajv compiles the 181 schemas in about a second. */
let compiled: Validator | undefined;

function compile(): Validator {
  const renamed = protocolSchemas('ocpp2.1').schemas.map((schema) => ({
    ...schema,
    $id: String(schema.$id)
      .replace(/Request$/, '.req')
      .replace(/Response$/, '.conf'),
  }));
  return createValidator('ocpp2.1', renamed);
}
