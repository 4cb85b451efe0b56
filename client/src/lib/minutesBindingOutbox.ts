import * as Y from 'yjs'

// The edits of this browser waiting for the server: batched (one mutation per pause in typing,
// not per key), sent one batch at a time in order, kept until the server has accepted them, and
// retried when sending failed (a Yjs update is idempotent: sending one twice is harmless).

/** saved: the server has everything; saving: a batch is on its way or waiting; unsent: sending failed, will retry. */
export type OutboxStatus = 'saved' | 'saving' | 'unsent'

/** What became of a batch: accepted; try again later; or dropped (the caller has dealt with it). */
export type SendOutcome = 'sent' | 'retry' | 'drop'

export interface OutboxTimers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface OutboxOptions {
  send(update: Uint8Array): Promise<SendOutcome>
  onStatus?(status: OutboxStatus): void
  /** How long typing accumulates before a batch is sent. */
  delayMs?: number
  /** A batch stays below this many bytes (the server accepts 256 KiB). */
  maxBatchBytes?: number
  retryMs?: number
  maxRetryMs?: number
  timers?: OutboxTimers
}

const realTimers: OutboxTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export class MinutesOutbox {
  private queue: Uint8Array[] = []
  private timer: unknown = null
  private sending: Promise<void> | null = null
  private failures = 0
  private paused = false
  private current: OutboxStatus = 'saved'
  private readonly delayMs: number
  private readonly maxBatchBytes: number
  private readonly retryMs: number
  private readonly maxRetryMs: number
  private readonly timers: OutboxTimers

  constructor(private readonly options: OutboxOptions) {
    this.delayMs = options.delayMs ?? 250
    this.maxBatchBytes = options.maxBatchBytes ?? 192 * 1024
    this.retryMs = options.retryMs ?? 1_000
    this.maxRetryMs = options.maxRetryMs ?? 15_000
    this.timers = options.timers ?? realTimers
  }

  get status(): OutboxStatus {
    return this.current
  }

  /** Edits not yet accepted by the server. */
  get pending(): readonly Uint8Array[] {
    return this.queue
  }

  add(update: Uint8Array): void {
    this.queue.push(update)
    this.setStatus(this.paused || this.failures > 0 ? 'unsent' : 'saving')
    this.schedule(this.failures > 0 ? this.backoff() : this.delayMs)
  }

  /**
   * Replaces what waits with one update holding everything the server lacks (after a
   * reconnect: the state-vector diff), or keeps the queue when that would be too big to send.
   */
  replaceWith(update: Uint8Array): void {
    if (update.byteLength > this.maxBatchBytes && this.queue.length > 0) return
    this.queue = [update]
    this.setStatus('saving')
    this.schedule(0)
  }

  /** Stop sending (offline, or access ended); edits keep accumulating. */
  pause(): void {
    this.paused = true
    this.cancelTimer()
    if (this.queue.length > 0) this.setStatus('unsent')
  }

  resume(): void {
    this.paused = false
    this.failures = 0
    if (this.queue.length > 0) {
      this.setStatus('saving')
      this.schedule(0)
    }
  }

  /** Forget everything waiting (the document was reset from the server). */
  clear(): void {
    this.queue = []
    this.failures = 0
    this.cancelTimer()
    this.setStatus('saved')
  }

  /** Sends what waits now, and resolves once the queue is empty or sending failed. */
  async flush(): Promise<void> {
    this.cancelTimer()
    while (this.queue.length > 0 && !this.paused) {
      if (this.sending) {
        await this.sending
        continue
      }
      const before = this.failures
      this.sending = this.sendOne().finally(() => (this.sending = null))
      await this.sending
      if (this.failures > before) return
    }
  }

  destroy(): void {
    this.paused = true
    this.cancelTimer()
  }

  private schedule(ms: number): void {
    if (this.paused || this.timer !== null) return
    this.timer = this.timers.set(() => {
      this.timer = null
      void this.flush()
    }, ms)
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer)
    this.timer = null
  }

  private backoff(): number {
    return Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.max(0, this.failures - 1))
  }

  /** The oldest edits that fit in one batch (at least one), merged. */
  private takeBatch(): { count: number; update: Uint8Array } {
    let count = 0
    let bytes = 0
    while (count < this.queue.length) {
      const size = this.queue[count]!.byteLength
      if (count > 0 && bytes + size > this.maxBatchBytes) break
      bytes += size
      count += 1
    }
    const batch = this.queue.slice(0, count)
    return { count, update: batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch) }
  }

  private async sendOne(): Promise<void> {
    const { count, update } = this.takeBatch()
    const sent = this.queue.slice(0, count)
    let outcome: SendOutcome
    try {
      outcome = await this.options.send(update)
    } catch {
      outcome = 'retry'
    }
    // The queue may have been replaced or cleared meanwhile; drop only what was sent, if still there.
    if (outcome !== 'retry') {
      if (sent.every((item, index) => this.queue[index] === item)) this.queue.splice(0, count)
      this.failures = 0
      this.setStatus(this.queue.length > 0 ? 'saving' : 'saved')
      if (this.queue.length > 0) this.schedule(0)
      return
    }
    this.failures += 1
    this.setStatus('unsent')
    this.schedule(this.backoff())
  }

  private setStatus(status: OutboxStatus): void {
    if (status === this.current) return
    this.current = status
    this.options.onStatus?.(status)
  }
}
