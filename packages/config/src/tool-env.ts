// The environment the tool lookups need (where to search for executables), parsed once with zod
// like every other env module: the search path is process configuration, not a screen-level choice.
import { z } from 'zod';

const toolEnvSchema = z.object({
  PATH: z.string().default(''),
  HOME: z.string().optional(),
});
export type ToolEnv = z.infer<typeof toolEnvSchema>;

let cached: ToolEnv | undefined;

export function toolEnv(): ToolEnv {
  cached ??= toolEnvSchema.parse(process.env);
  return cached;
}
