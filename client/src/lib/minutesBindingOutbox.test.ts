import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MinutesOutbox, type OutboxStatus, type OutboxTimers, type SendOutcome } from './minutesBindingOutbox'

/** Timers the test advances by hand. */
class ManualTimers implements OutboxTimers {
  now = 0
  private next = 1
  private readonly pending = new Map<number, { at: number; run: () => void }>()
  set(run: () => void, ms: number): unknown {
    const id = this.next++
    this.pending.set(id, { at: this.now + ms, run })
    return id
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number)
  }
  async advance(ms: number): Promise<void> {
    this.now += ms
    for (const [id, timer] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.now) continue
      this.pending.delete(id)
      timer.run()
    }
    for (let i = 0; i < 10; i += 1) await Promise.resolve()
  }
}

function typing() {
  const doc = new Y.Doc()
  const text = doc.getText('minutes')
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return { doc, text, updates }
}

function outbox(outcomes: SendOutcome[] = []) {
  const timers = new ManualTimers()
  const sent: Uint8Array[] = []
  const statuses: OutboxStatus[] = []
  const box = new MinutesOutbox({
    timers,
    delayMs: 250,
    retryMs: 1000,
    maxBatchBytes: 1000,
    send: async (update) => {
      sent.push(update)
      return outcomes.shift() ?? 'sent'
    },
    onStatus: (status) => statuses.push(status),
  })
  return { box, timers, sent, statuses }
}

describe('MinutesOutbox', () => {
  it('sends a pause of typing as one merged update, then says saved', async () => {
    const { box, timers, sent, statuses } = outbox()
    const t = typing()
    for (const ch of '議事録を書く') {
      t.text.insert(t.text.length, ch)
      box.add(t.updates.at(-1)!)
    }
    expect(sent).toHaveLength(0)
    expect(box.status).toBe('saving')
    await timers.advance(250)
    expect(sent).toHaveLength(1)
    const other = new Y.Doc()
    Y.applyUpdate(other, sent[0]!)
    expect(other.getText('minutes').toString()).toBe('議事録を書く')
    expect(statuses).toEqual(['saving', 'saved'])
  })

  it('keeps failed edits, says unsent, and retries until they are accepted', async () => {
    const { box, timers, sent } = outbox(['retry', 'retry', 'sent'])
    const t = typing()
    t.text.insert(0, 'オフライン中の一文')
    box.add(t.updates[0]!)
    await timers.advance(250)
    expect(box.status).toBe('unsent')
    expect(box.pending).toHaveLength(1)
    t.text.insert(0, '追記')
    box.add(t.updates[1]!)
    await timers.advance(1000)
    expect(box.status).toBe('unsent')
    await timers.advance(2000)
    expect(box.status).toBe('saved')
    expect(box.pending).toHaveLength(0)
    expect(sent).toHaveLength(3)
    const other = new Y.Doc()
    Y.applyUpdate(other, sent[2]!)
    expect(other.getText('minutes').toString()).toBe('追記オフライン中の一文')
  })

  it('splits what waits into batches under the size limit, in order', async () => {
    const { box, timers, sent } = outbox()
    const t = typing()
    for (let i = 0; i < 3; i += 1) {
      t.text.insert(t.text.length, String(i).repeat(400))
      box.add(t.updates.at(-1)!)
    }
    await timers.advance(250)
    expect(sent.length).toBeGreaterThanOrEqual(2)
    expect(sent.every((update) => update.byteLength < 1000)).toBe(true)
    const other = new Y.Doc()
    for (const update of sent) Y.applyUpdate(other, update)
    expect(other.getText('minutes').toString()).toBe(t.text.toString())
  })

  it('while paused keeps everything and sends it on resume; replaceWith sends the state-vector diff instead', async () => {
    const { box, timers, sent } = outbox()
    const t = typing()
    box.pause()
    t.text.insert(0, '切断中')
    box.add(t.updates[0]!)
    await timers.advance(5000)
    expect(sent).toHaveLength(0)
    expect(box.status).toBe('unsent')
    box.replaceWith(Y.encodeStateAsUpdate(t.doc, new Uint8Array([0])))
    box.resume()
    await timers.advance(0)
    expect(sent).toHaveLength(1)
    expect(box.status).toBe('saved')
  })

  it('a dropped batch is not retried', async () => {
    const { box, timers, sent } = outbox(['drop'])
    const t = typing()
    t.text.insert(0, '拒否される')
    box.add(t.updates[0]!)
    await timers.advance(250)
    await timers.advance(60_000)
    expect(sent).toHaveLength(1)
    expect(box.status).toBe('saved')
  })
})
