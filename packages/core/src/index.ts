export * from './alert.ts';
export * from './money.ts';
