export * from './web-push-sender.ts';
