import { Directive, Field, ID, ObjectType, registerEnumType } from '../../../lib/graphql/type-graphql.js';
import type { LocationRow } from '../ledger/ledger-rows.js';

export enum LocationType {
  WAREHOUSE = 'WAREHOUSE',
  STORE = 'STORE',
}

registerEnumType(LocationType, {
  name: 'LocationType',
  description: 'A distribution center the ERP runs, or a store the POS runs.',
});

@ObjectType({ description: 'Where stock is kept: an ERP warehouse or a POS store.' })
@Directive('@key(fields: "id")')
export class Location {
  @Field(() => ID, { description: '`WH-01` for warehouses, `S001` for stores.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => LocationType)
  type!: LocationType;
}

export const toLocation = (row: LocationRow): Location =>
  Object.assign(new Location(), { id: row.id, name: row.name, type: row.type === 'WAREHOUSE' ? LocationType.WAREHOUSE : LocationType.STORE });
