import { describe, expect, it } from 'vitest';
import { BUSY_PERSON_INDEX, generateDataset } from '../../../simulators/data/dataset.js';
import { datasetRecords } from '../../../test/support/customer-records.js';
import { linkageQuality } from '../../../test/support/linkage-quality.js';
import { linkRecords } from './deterministic-links.js';
import { matchCustomers } from './match-customers.js';

// The default dataset (seed 42, 5,000 people): the generator's people are the ground truth.
const dataset = generateDataset(42);
const labelled = datasetRecords(dataset);
const records = labelled.map((l) => l.record);

describe('matchCustomers over the generated dataset', () => {
  it('links almost only records of one person (precision ≥ 0.99), and reports how many it finds', () => {
    const quality = linkageQuality(linkRecords(records), (i) => labelled[i]!.personIndex);
    console.info(`deterministic linkage over ${records.length} records of ${dataset.people.length} people:`, quality);
    expect(quality.precision).toBeGreaterThanOrEqual(0.99);
    // Not tuned: recall is what the deterministic keys reach; fuzzy matching is to raise it.
    expect(quality.recall).toBeGreaterThan(0.5);
  });

  it('puts the busy person’s CRM, Magento and loyalty records in one golden record anchored on the CRM', () => {
    const personOf = new Map(labelled.map((l) => [l.record, l.personIndex]));
    const busy = matchCustomers(records).filter((g) => g.records.some((r) => personOf.get(r) === BUSY_PERSON_INDEX));
    expect(busy).toHaveLength(1);
    // Anchor first: the CRM record names the golden record.
    expect(busy[0]!.records.map((r) => r.system)).toEqual(['CRM', 'MAGENTO', 'POS']);
  });

  it('gives the same golden ids in the same order on every run, whatever order the records come in', () => {
    const ids = matchCustomers(records).map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(matchCustomers(records).map((g) => g.id)).toEqual(ids);
    expect(new Set(matchCustomers([...records].reverse()).map((g) => g.id))).toEqual(new Set(ids));
  });
});
