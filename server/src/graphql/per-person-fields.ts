/**
 * Fields (Type.field) whose value depends on the person, not only on their audience (role,
 * section, organisation). When a subscription document selects some, they (and the fields
 * leading to them) are executed per person and merged with the rest, executed once per audience.
 *
 * Naming a field here only saves a wasted execution: a field missing from this list that reads
 * the person is still caught while it runs (the audience's viewer refuses to give out an
 * accountId), and the whole document is then executed per person.
 */
export const PER_PERSON_FIELDS: ReadonlySet<string> = new Set([
  // The viewer's own read marker and follow flag.
  'Thread.unreadCount',
  'Thread.following',
  'Proposal.unreadMessageCount',
  // edit and delete: the message's author.
  'Message.viewerCan',
]);
