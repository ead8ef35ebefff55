// packages/db/src/database.types.ts is generated from the migrations and committed; this fails as
// soon as a migration changes the schema without regenerating it.
import { readFileSync } from 'node:fs';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { expect, it } from 'vitest';
import { DB_TYPES_PATH, generateDbTypes } from '../../scripts/gen-db-types.ts';

const db = useTestDatabase();

it('the committed database types match the migrated schema', async () => {
  const fresh = await generateDbTypes(db.url);
  const committed = readFileSync(DB_TYPES_PATH, 'utf8');
  expect(
    committed === fresh,
    `${DB_TYPES_PATH} is stale: run \`npm run db:types\` and commit the result`,
  ).toBe(true);
});
