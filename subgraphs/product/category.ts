import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalog category.' })
@Directive('@key(fields: "id")')
export class Category {
  @Field(() => ID, { description: "Magento's category id." })
  id!: string;

  @Field(() => String)
  name!: string;
}

export const category = (id: string, name: string): Category => Object.assign(new Category(), { id, name });
