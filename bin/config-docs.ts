/** Prints README's Configuration table from lib/config.ts (`npm run docs:config`). */
import { configTable } from '../lib/config-docs.js';

process.stdout.write(`${configTable()}\n`);
