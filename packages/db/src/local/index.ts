export * from './bootstrap.ts';
export * from './embedded-postgres.ts';
