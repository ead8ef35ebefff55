// Server-side Postgres access. Browser code imports only `@tradeassist/db/live-alert`.
export * from './alert-insert.ts';
export * from './alert-spool.ts';
export * from './alert-writer.ts';
export * from './client.ts';
export * from './daily-reference.ts';
export * from './listen.ts';
export * from './live-alert.ts';
export * from './live-feed.ts';
export { dbLogger } from './log.ts';
export * from './timeout.ts';
