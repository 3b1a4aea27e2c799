import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A product image.' })
export class Image {
  @Field(() => String, { description: 'Absolute URL of the image file.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'Alternative text, from the Magento image label.' })
  alt!: string | null;
}

export const image = (url: string, alt: string | null): Image => Object.assign(new Image(), { url, alt });
