import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, badUserInput, isExposed, maskError } from './errors.js';

describe('maskError', () => {
  it('passes an error raised on purpose through, with its code and the request id', () => {
    const log = vi.fn();
    const thrown = badUserInput('first must be between 1 and 100');
    const located = new GraphQLError(thrown.message, { path: ['products'], originalError: thrown });
    expect(maskError(located, 'req-1', log)).toEqual({
      message: 'first must be between 1 and 100',
      path: ['products'],
      extensions: { code: ErrorCode.BAD_USER_INPUT, requestId: 'req-1' },
    });
    expect(log).not.toHaveBeenCalled();
  });

  it('masks an unexpected error and logs the real one with the request id', () => {
    const log = vi.fn();
    const bug = new TypeError("Cannot read properties of undefined (reading 'sku')");
    const located = new GraphQLError(bug.message, { path: ['product', 'name'], originalError: bug });
    const masked = maskError(located, 'req-2', log);
    expect(masked).toEqual({ message: 'Unexpected error.', path: ['product', 'name'], extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: 'req-2' } });
    expect(log).toHaveBeenCalledWith(bug, 'req-2');
  });

  it('masks a GraphQLError carrying a code clients are not promised', () => {
    const odd = new GraphQLError('internal detail', { extensions: { code: 'SOMETHING_INTERNAL' } });
    const located = new GraphQLError(odd.message, { originalError: odd });
    expect(isExposed(located)).toBe(false);
  });

  it('masks INTERNAL_SERVER_ERROR whatever its message, and never passes stack traces on', () => {
    const log = vi.fn();
    const leaky = new GraphQLError('connect ECONNREFUSED 10.0.0.7:5432', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
    expect(maskError(leaky, 'req-3', log)).toEqual({ message: 'Unexpected error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: 'req-3' } });
    expect(log).toHaveBeenCalledWith(leaky, 'req-3');
    const traced = badUserInput('bad sku', { stacktrace: ['at x'], exception: { stacktrace: ['at y'] } });
    expect(maskError(traced, 'req-4', log).extensions).toEqual({ code: ErrorCode.BAD_USER_INPUT, requestId: 'req-4' });
  });

  it("keeps graphql-js's own errors (coercion, validation), which have no originalError", () => {
    expect(isExposed(new GraphQLError('Variable "$first" got invalid value "x"'))).toBe(true);
  });
});
