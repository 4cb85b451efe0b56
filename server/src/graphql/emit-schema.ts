import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/env.js';
import { printRenkeiSchema } from './print-schema.js';

const target = path.join(repoRoot, 'schema', 'schema.graphql');
fs.writeFileSync(target, await printRenkeiSchema());
console.log(`wrote ${path.relative(repoRoot, target)}`);
