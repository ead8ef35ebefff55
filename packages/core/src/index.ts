export * from './alert.ts';
export * from './dbn-layout.ts';
export * from './intent.ts';
export * from './money.ts';
