import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** The last 受付番号 issued in each fiscal year (April–March). */
@Entity({ tableName: 'proposal_reference_counter' })
export class ReferenceCounter {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  fiscalYear: number;

  @Property({ type: 'integer' })
  lastNumber: number;

  constructor(fiscalYear: number, lastNumber: number) {
    this.fiscalYear = fiscalYear;
    this.lastNumber = lastNumber;
  }
}
