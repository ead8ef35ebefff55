// Runs once when the Next.js server starts. NEXT_RUNTIME is a build-time constant that Next inlines
// per runtime (not configuration), so the edge bundle drops the Node-only validation below.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node.ts');
}
