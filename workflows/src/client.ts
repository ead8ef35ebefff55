// What other processes (web route handlers, the screener, the alert dispatcher) import to start and
// signal workflows: the contract only, never workflow or activity code.
export * from './contract.ts';
