// type-graphql's decorators need the Reflect metadata API when a class is defined: importing them from here loads it first, whatever the import order.
import 'reflect-metadata';
export * from 'type-graphql';
