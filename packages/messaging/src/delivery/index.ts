// Pure delivery policy and the text of alert, digest and summary SMS (no I/O).
export * from './policy.ts';
export * from './quiet-hours.ts';
export * from './sms-text.ts';
