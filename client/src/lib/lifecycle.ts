/** The lifecycle actions on a challenge, named as in ChallengeAbilities (viewerCan). */
export type LifecycleAction = 'open' | 'close' | 'publish' | 'unpublish'

export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = ['open', 'close', 'publish', 'unpublish']
