// One error for a whole bad environment: every missing or invalid variable, by name, with the
// reason, in one block. Values are echoed only when they are not secret (URLs lose credentials).

export interface EnvIssue {
  /** The variable, e.g. `DATABASE_URL`. */
  readonly variable: string;
  readonly reason: string;
}

export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(
    /** Who validated, e.g. `screener worker`. */
    readonly processName: string,
    readonly profile: string,
    readonly issues: readonly EnvIssue[],
  ) {
    super(formatEnvIssues(processName, profile, issues));
  }
}

export function formatEnvIssues(processName: string, profile: string, issues: readonly EnvIssue[]): string {
  const width = Math.max(...issues.map((i) => i.variable.length));
  const lines = issues.map((i) => `  ${i.variable.padEnd(width)}  ${i.reason}`);
  const n = issues.length === 1 ? '1 variable' : `${issues.length} variables`;
  return [
    `Invalid environment for the ${processName} (profile: ${profile}): ${n} to fix`,
    ...lines,
    'See .env.example for every variable and its format.',
  ].join('\n');
}
