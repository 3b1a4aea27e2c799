import { startSimulator, type RunningSimulator, type SystemSimulatorOptions, type SimResponse } from '../common/simulator-server.js';
import { API_PATH, contactRecord } from './contact-fields.js';
import { ContactStore } from './contact-store.js';
import { QueryLocators, type Batch } from './query-locators.js';
import { describeSoqlError, parseSoql, SoqlError } from './soql-parser.js';

export type CrmSimulatorOptions = SystemSimulatorOptions;

/** Salesforce answers every error as an array of `{message, errorCode}`. */
const salesforceError = (status: number, errorCode: string, message: string): SimResponse => ({ status, body: [{ message, errorCode }] });

/**
 * Salesforce REST (`/services/data/v59.0`) over the dataset's contacts:
 * SOQL queries in batches of 2,000 with `nextRecordsUrl`, and sObject reads.
 */
export function startCrmSimulator(options: CrmSimulatorOptions): Promise<RunningSimulator> {
  const store = new ContactStore(options.dataset.crmContacts);
  const locators = new QueryLocators<Record<string, unknown>>();

  const answer = (batch: Batch<Record<string, unknown>>): SimResponse => ({
    status: 200,
    body: {
      totalSize: batch.total,
      done: batch.next === undefined,
      ...(batch.next ? { nextRecordsUrl: `${API_PATH}/query/${batch.next}` } : {}),
      records: batch.rows,
    },
  });

  return startSimulator({
    name: 'crm',
    port: options.port,
    host: options.host,
    token: options.token,
    faults: options.faults,
    logger: options.logger,
    unauthorized: salesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
    badRequest: (message) => salesforceError(400, message === 'body is not valid JSON' ? 'JSON_PARSER_ERROR' : 'INVALID_INPUT', message),
    notFound: () => salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'),
    routes: [
      {
        method: 'GET',
        pattern: `${API_PATH}/query`,
        handler: (req) => {
          const soql = req.query.get('q');
          if (!soql) return salesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
          try {
            const query = parseSoql(soql);
            const records = store.run(query).map((contact) => contactRecord(contact, query.fields));
            return answer(locators.first(records));
          } catch (err) {
            if (err instanceof SoqlError) return salesforceError(400, err.errorCode, describeSoqlError(soql, err));
            throw err;
          }
        },
      },
      {
        method: 'GET',
        pattern: `${API_PATH}/query/:locator`,
        handler: (req) => {
          const batch = locators.batch(req.params.locator as string);
          if (!batch) return salesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
          return answer(batch);
        },
      },
      {
        method: 'GET',
        pattern: `${API_PATH}/sobjects/Contact/:id`,
        handler: (req) => {
          const contact = store.get(req.params.id as string);
          if (!contact) return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
          return { status: 200, body: contactRecord(contact) };
        },
      },
    ],
  });
}
