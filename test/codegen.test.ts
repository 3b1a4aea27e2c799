import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../lib/project-root.js';

describe('clients/generated', () => {
  it('matches what codegen.yml generates from clients/operations (run `npm run codegen` when this fails)', async () => {
    const root = projectRoot();
    const { config } = await loadCodegenConfig({ configFilePath: join(root, 'codegen.yml') });
    const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as Types.FileOutput[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      expect(await readFile(join(root, filename), 'utf8').catch(() => '(missing)'), filename).toBe(content);
    }
  }, 60_000);
});
