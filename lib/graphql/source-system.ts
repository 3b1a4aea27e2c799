/** The systems of record whose customer records make up golden customers, as `SourceRecord.system` names them. */
export const SOURCE_SYSTEMS = ['CRM', 'MAGENTO', 'POS'] as const;

export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];
