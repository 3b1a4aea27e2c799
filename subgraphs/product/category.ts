import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';

@ObjectType({ description: 'A catalog category.' })
@Directive('@key(fields: "id")')
export class Category {
  @Field(() => ID, { description: "Magento's category id." })
  id!: string;

  @Field(() => String)
  name!: string;
}

export const category = (id: string, name: string): Category => Object.assign(new Category(), { id, name });
