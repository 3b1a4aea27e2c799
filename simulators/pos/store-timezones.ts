/** The IANA time zone of each city the dataset places stores in; a till reports local time zones. */
const TIMEZONES: Record<string, string> = {
  Portland: 'America/Los_Angeles',
  Seattle: 'America/Los_Angeles',
  'San Diego': 'America/Los_Angeles',
  Denver: 'America/Denver',
  Austin: 'America/Chicago',
  Chicago: 'America/Chicago',
  Minneapolis: 'America/Chicago',
  Boston: 'America/New_York',
  Atlanta: 'America/New_York',
  Raleigh: 'America/New_York',
};

export const timezoneOf = (city: string): string => TIMEZONES[city] ?? 'America/New_York';
