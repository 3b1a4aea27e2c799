import { describe, expect, it } from 'vitest';
import { isCsrfSuspect } from './csrf-prevention.js';

describe('isCsrfSuspect', () => {
  it('suspects what a page on another site can send without a preflight', () => {
    expect(isCsrfSuspect({})).toBe(true);
    expect(isCsrfSuspect({ 'content-type': 'text/plain;charset=UTF-8' })).toBe(true);
    expect(isCsrfSuspect({ 'content-type': 'application/x-www-form-urlencoded' })).toBe(true);
    expect(isCsrfSuspect({ 'content-type': 'multipart/form-data; boundary=x' })).toBe(true);
    expect(isCsrfSuspect({ 'content-type': 'text/plain', 'graphql-preflight': '' })).toBe(true);
  });

  it('clears a request with a preflighted content type or a non-empty preflight header', () => {
    expect(isCsrfSuspect({ 'content-type': 'application/json' })).toBe(false);
    expect(isCsrfSuspect({ 'content-type': '' })).toBe(false);
    expect(isCsrfSuspect({ 'graphql-preflight': '1' })).toBe(false);
    expect(isCsrfSuspect({ 'content-type': 'text/plain', 'apollo-require-preflight': 'true' })).toBe(false);
    expect(isCsrfSuspect({ 'x-apollo-operation-name': 'ProductPage' })).toBe(false);
  });
});
