// Every workflow the worker registers (the worker bundles this file; activities are imported by
// workflows as types only).
export { ping } from './ping.workflow.ts';
