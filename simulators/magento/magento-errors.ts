import type { SimRequest, SimResponse } from '../common/simulator-server.js';

/** `parameters` fill the `%name` (or `%1`) placeholders of a Magento message. */
export type MagentoParameters = Record<string, string | number> | Array<string | number>;

/** Magento's error body: `{message, parameters?}`. */
export function magentoError(status: number, message: string, parameters?: MagentoParameters): SimResponse {
  return { status, body: parameters === undefined ? { message } : { message, parameters } };
}

/** Magento's own wording, kept verbatim: clients match on these. */
export const MESSAGES = {
  unauthorized: "The consumer isn't authorized to access %resources.",
  productNotFound: "The product that was requested doesn't exist. Verify the product and try again.",
  entityNotFound: "The entity that was requested doesn't exist. Verify the entity and try again.",
  noSuchEntity: 'No such entity with %fieldName = %fieldValue',
  required: '"%fieldName" is required. Enter and try again.',
  noRoute: 'Request does not match any route.',
} as const;

/** Raised while reading a request (a bad searchCriteria); the route answers it with the error it carries. */
export class MagentoRequestError extends Error {
  constructor(readonly answer: SimResponse) {
    super((answer.body as { message: string }).message);
  }
}

export const badRequest = (message: string, parameters?: MagentoParameters): MagentoRequestError =>
  new MagentoRequestError(magentoError(400, message, parameters));

/** Wraps a handler so that a MagentoRequestError becomes its answer instead of a 500. */
export function answering(handler: (req: SimRequest) => SimResponse): (req: SimRequest) => SimResponse {
  return (req) => {
    try {
      return handler(req);
    } catch (err) {
      if (err instanceof MagentoRequestError) return err.answer;
      throw err;
    }
  };
}
