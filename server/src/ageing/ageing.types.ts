import { Field, Int, ObjectType } from 'type-graphql';
import { AgeingStage, StageTarget } from './stage-target.entity.js';

@ObjectType({ description: 'How long a stage has waited (滞留), in full business days since it was entered, against the desk’s target' })
export class Ageing {
  @Field(() => AgeingStage)
  stage!: AgeingStage;

  @Field(() => Date, { description: 'When the wait began' })
  since!: Date;

  @Field(() => Int, {
    description:
      'Full business days elapsed since the stage was entered (Asia/Tokyo): weekdays that are not national holidays nor the 12/29–1/3 closure, after the day of entry and before today',
  })
  businessDays!: number;

  @Field(() => Int)
  targetBusinessDays!: number;

  @Field(() => Boolean, { description: 'More business days have elapsed than the target' })
  overTarget!: boolean;
}

@ObjectType({ description: 'A stage target was changed: refresh the settings, and the flags of what is on screen' })
export class StageTargetEvent {
  @Field(() => String, { description: 'Opaque position of this event; pass it back as `after` to resume after a reconnect' })
  cursor!: string;

  @Field(() => StageTarget)
  target!: StageTarget;
}
