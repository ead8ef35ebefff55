// Where the tests find the official decoders: optional overrides for the Python interpreter that has
// `databento_dbn` (PYTHON) and for the `dbn` CLI (DBN_CLI), plus HOME for cargo's default bin dir.
// Read once; empty values count as unset.
export interface OracleEnv {
  readonly python: string | undefined;
  readonly dbnCli: string | undefined;
  readonly home: string | undefined;
}

const nonEmpty = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined);

let cached: OracleEnv | undefined;

export function oracleEnv(): OracleEnv {
  cached ??= {
    python: nonEmpty(process.env.PYTHON),
    dbnCli: nonEmpty(process.env.DBN_CLI),
    home: nonEmpty(process.env.HOME),
  };
  return cached;
}
