/**
 * Lets a live stream hand over an event before the subscriber's session has been re-checked, so
 * that the execution of the event and the session check (one statement for every subscriber of
 * the event) run side by side instead of one after the other. Nothing is delivered before the
 * check: the consumer executes the event, then waits for the confirmation, and sends the result
 * only when the confirmation gives back the very root it executed.
 *
 * A stream may hand over an event early only to a consumer that has said it waits for
 * confirmations (expectConfirmations); any other consumer gets events checked first, as always.
 */

/** What the check decided: the root to deliver (the early one when the audience is unchanged, the audience's new view otherwise), or null for nothing. */
export type Confirmation = Promise<unknown>;

interface ConfirmationSlot {
  pending: Confirmation | null;
}

const consumers = new WeakMap<object, ConfirmationSlot>();

/** Called by a consumer (per subscriber context) that executes early and waits for each confirmation before sending. */
export function expectConfirmations(context: object): void {
  if (!consumers.has(context)) consumers.set(context, { pending: null });
}

/** Whether the stream of this context may hand over events before they are confirmed. */
export function confirmsLater(context: object): boolean {
  return consumers.has(context);
}

/** The stream, handing over an event early: how the check will end. */
export function handOverUnconfirmed(context: object, confirmation: Confirmation): void {
  const slot = consumers.get(context);
  if (!slot) throw new Error('This consumer does not wait for confirmations');
  // A rejected confirmation is reported by the consumer; never an unhandled rejection meanwhile.
  confirmation.catch(() => undefined);
  slot.pending = confirmation;
}

/** The consumer, after taking an event: its confirmation, or null when the event was checked before it was handed over. */
export function takeConfirmation(context: object): Confirmation | null {
  const slot = consumers.get(context);
  if (!slot?.pending) return null;
  const pending = slot.pending;
  slot.pending = null;
  return pending;
}
