import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const clientDir = path.resolve(import.meta.dirname, '../..')

describe('the client type-checks', () => {
  it('its components, pages and logic (vue-tsc; vitest and vite only strip the types)', async () => {
    let reported = ''
    try {
      await run(path.join(clientDir, 'node_modules', '.bin', 'vue-tsc'), ['--noEmit', '--pretty', 'false'], { cwd: clientDir, maxBuffer: 16 * 1024 * 1024 })
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string }
      reported = `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message
    }
    expect(reported).toBe('')
  }, 240_000)
})
