import { BUSY_PERSON_INDEX, type Dataset } from '../../simulators/data/dataset.js';
import { goldenId } from '../../subgraphs/customer/matching/golden-record.js';

/** The golden id of the person the generator gives records in every system and 22 orders. */
export function busyCustomerId(dataset: Dataset): string {
  const crm = dataset.crmContacts.find((c) => c.personIndex === BUSY_PERSON_INDEX);
  if (!crm) throw new Error('the busy person has no CRM record');
  return goldenId('CRM', crm.Id);
}
