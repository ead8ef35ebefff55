// Typed failures of the Databento live client. `terminal` errors end the source (retrying cannot
// help: bad credentials, an invalid subscription); the others end one connection and are retried.
export type LiveErrorCode =
  | 'bad_config'
  | 'connect_failed'
  | 'protocol'
  | 'auth_failed'
  | 'api_key_deactivated'
  | 'connection_limit_exceeded'
  | 'invalid_subscription'
  | 'symbol_resolution_failed'
  | 'gateway_error'
  | 'heartbeat_timeout'
  | 'disconnected'
  | 'bad_record';

const TERMINAL: ReadonlySet<LiveErrorCode> = new Set([
  'bad_config',
  'auth_failed',
  'api_key_deactivated',
  'invalid_subscription',
]);

export class LiveError extends Error {
  override readonly name = 'LiveError';
  readonly terminal: boolean;
  constructor(
    readonly code: LiveErrorCode,
    message: string,
    readonly context: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.terminal = TERMINAL.has(code);
  }
}
