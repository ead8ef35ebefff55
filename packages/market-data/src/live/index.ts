// The Databento live client: a MarketDataSource of kind 'databento'.
export { type BackoffOptions, backoffDelay, nominalDelay } from './backoff.ts';
export {
  createDatabentoSource,
  type DatabentoSourceConfig,
  DEFAULT_DATASET,
  parseSchemas,
} from './create-databento-source.ts';
export { type DatabentoLiveOptions, DatabentoLiveSource } from './databento-live-source.ts';
export { LiveError, type LiveErrorCode } from './live-error.ts';
export {
  ALL_SYMBOLS,
  authReply,
  gatewayAddress,
  type LiveSchema,
  type LiveSType,
  type Subscription,
  subscriptionLines,
} from './protocol.ts';
