import type { CreditSummary, EntryType } from '../data/replies.ts';
import { speaksGerman } from './format.ts';

/**
 * The words of the credit-usage report — the CSV export that seed 001 says staff "share with a
 * customer" — in the studio's language: German for a locale whose language is `de`, English for any
 * other (as activity-text.ts). The wording follows the widgets' catalogue (widgets/core/messages),
 * so the report reads as the screen it was exported from.
 */
export interface ReportText {
  title: string;
  studio: string;
  customer: string;
  pass: string;
  filter: string;
  asOf: string;
  allCycles: string;
  cycle: (n: number) => string;
  /** The filter chips, by `type` query value. */
  filters: Record<'all' | EntryType, string>;
  /** One entry's type, as the ledger's Type column shows it. */
  types: Record<EntryType, string>;
  summary: Record<keyof CreditSummary, string>;
  columns: readonly string[];
}

const english: ReportText = {
  title: 'Credit usage report',
  studio: 'Studio',
  customer: 'Customer',
  pass: 'Pass',
  filter: 'Filter',
  asOf: 'As of',
  allCycles: 'All cycles',
  cycle: (n) => `Cycle ${n}`,
  filters: {
    all: 'All usage', booking: 'Credits used to book sessions', free_cancellation: 'Added by free cancellations',
    manual: 'Added or removed manually', rollover: 'Rolled over', expiry: 'Expired', grant: 'Granted', void: 'Voided by refund',
  },
  types: {
    grant: 'Granted', booking: 'Booked', free_cancellation: 'Free cancellation', manual: 'Manual change', rollover: 'Rollover',
    expiry: 'Expired', void: 'Voided (refund)',
  },
  summary: {
    starting_credits: 'Starting credits', total_booked: 'Total booked', free_cancellations: 'Free cancellations',
    rollover_credits: 'Rollover credits', manual_changes: 'Manual changes', expired: 'Expired', voided: 'Voided (refund)',
    credits_left: 'Credits left',
  },
  columns: ['Entry', 'Date (UTC)', 'Date (studio time)', 'Type', 'Change', 'Balance', 'Cycle', 'Class', 'Class starts (studio time)',
    'Booking', 'Reason', 'By', 'Entry ID'],
};

const german: ReportText = {
  title: 'Bericht zum Credit-Verbrauch',
  studio: 'Studio',
  customer: 'Kunde',
  pass: 'Pass',
  filter: 'Filter',
  asOf: 'Stand',
  allCycles: 'Alle Zyklen',
  cycle: (n) => `Zyklus ${n}`,
  filters: {
    all: 'Gesamter Verbrauch', booking: 'Für Buchungen verwendet', free_cancellation: 'Durch kostenlose Stornierung gutgeschrieben',
    manual: 'Manuell hinzugefügt oder entfernt', rollover: 'Übertragen', expiry: 'Verfallen', grant: 'Gutgeschrieben',
    void: 'Storniert (Erstattung)',
  },
  types: {
    grant: 'Gutgeschrieben', booking: 'Gebucht', free_cancellation: 'Kostenlose Stornierung', manual: 'Manuelle Änderung',
    rollover: 'Übertrag', expiry: 'Verfallen', void: 'Storniert (Erstattung)',
  },
  summary: {
    starting_credits: 'Start-Credits', total_booked: 'Insgesamt gebucht', free_cancellations: 'Kostenlose Stornierungen',
    rollover_credits: 'Übertragene Credits', manual_changes: 'Manuelle Änderungen', expired: 'Verfallen',
    voided: 'Storniert (Erstattung)', credits_left: 'Verbleibende Credits',
  },
  columns: ['Eintrag', 'Datum (UTC)', 'Datum (Studiozeit)', 'Art', 'Änderung', 'Saldo', 'Zyklus', 'Kurs', 'Kursbeginn (Studiozeit)',
    'Buchung', 'Grund', 'Von', 'Eintrags-ID'],
};

/** The report's words for a studio's locale. */
export function reportText(locale: string): ReportText {
  return speaksGerman(locale) ? german : english;
}
