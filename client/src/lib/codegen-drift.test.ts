import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { generate } from '@graphql-codegen/cli'
import config from '../../codegen'

const clientDir = path.resolve(import.meta.dirname, '../..')

describe('typed operations', () => {
  it('are generated from the committed schema/schema.graphql (run `pnpm --filter @renkei/client codegen` after it changes)', async () => {
    const cwd = process.cwd()
    process.chdir(clientDir)
    try {
      const outputs = await generate({ ...config, silent: true }, false)
      expect(outputs.length).toBeGreaterThan(0)
      for (const output of outputs) {
        const committed = fs.readFileSync(path.resolve(clientDir, output.filename), 'utf8')
        expect(committed, output.filename).toBe(output.content)
      }
    } finally {
      process.chdir(cwd)
    }
  }, 60_000)
})
