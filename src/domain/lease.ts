/** A calendar day, "YYYY-MM-DD", in UTC. Leases are counted in days, not instants. */
export type CalendarDay = string;

export function dayOf(instant: Date): CalendarDay {
  return instant.toISOString().slice(0, 10);
}

/**
 * A lease that begins on `begin` ends the day before the same day next month
 * (2016-04-20 -> 2016-05-19). When next month is shorter, the same-day is clamped to its
 * last day first (2016-01-31 -> 2016-02-29 -> ends 2016-02-28).
 */
export function leaseEndFor(begin: CalendarDay): CalendarDay {
  const [y, m, d] = begin.split('-').map(Number) as [number, number, number];
  const nextMonthLastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const sameDayNextMonth = new Date(Date.UTC(y, m, Math.min(d, nextMonthLastDay)));
  sameDayNextMonth.setUTCDate(sameDayNextMonth.getUTCDate() - 1);
  return dayOf(sameDayNextMonth);
}

/** The day after `day`; the next lease period begins there. */
export function nextDay(day: CalendarDay): CalendarDay {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return dayOf(date);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return dayOf(date);
}

/** The same day one month later (clamped to the month's end), e.g. a keyword's cooling-off end. */
export function oneMonthAfter(day: CalendarDay): CalendarDay {
  return nextDay(leaseEndFor(day));
}
