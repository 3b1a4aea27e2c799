import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../lib/project-root.js';

describe('clients/generated', () => {
  it('matches what codegen.yml generates from clients/operations (run `npm run codegen` when this fails)', async () => {
    const root = projectRoot();
    const outputs = await generate({ cwd: root, configFilePath: join(root, 'codegen.yml'), silent: true, errorsOnly: true } as never, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      expect(await readFile(join(root, filename), 'utf8').catch(() => '(missing)'), filename).toBe(content);
    }
  }, 60_000);
});
