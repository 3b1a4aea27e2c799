/** Magento's url_key of a name: lower case, runs of anything else turned into one hyphen. */
export const urlKey = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
