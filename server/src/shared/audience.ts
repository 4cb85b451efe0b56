import { registerEnumType } from 'type-graphql';

/**
 * Who a conversation is for — meetings' minutes now, threads later: SHARED is the ward (desk and
 * matched sections) and the proposer; INTERNAL is the ward only. Something INTERNAL never turns
 * SHARED.
 */
export enum Audience {
  SHARED = 'SHARED',
  INTERNAL = 'INTERNAL',
}
registerEnumType(Audience, {
  name: 'Audience',
  description: 'SHARED: the ward (desk and matched sections) and the proposer; INTERNAL: the ward only',
});
