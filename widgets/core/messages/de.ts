import type { Messages } from './en.ts';

/** Der deutsche Katalog. */
const de: Messages = {
  'error.unauthenticated': 'Sie sind nicht angemeldet oder Ihre Sitzung ist ungültig.',
  'error.session_expired': 'Ihre Sitzung ist abgelaufen. Laden Sie die Seite neu, um sich wieder anzumelden.',
  'error.forbidden': 'Dazu fehlt Ihnen die Berechtigung.',
  'error.not_found': 'Dieser Datensatz existiert nicht oder wurde entfernt.',
  'error.conflict': 'Das steht im Widerspruch zu einem vorhandenen Datensatz.',
  'error.precondition_failed': 'Jemand anderes hat diesen Datensatz inzwischen geändert.',
  'error.rule_violation': 'Das erlauben die Regeln des Studios nicht.',
  'error.rate_limited': 'Zu viele Anfragen. Warten Sie einen Moment und versuchen Sie es erneut.',
  'error.unavailable': 'Der Dienst ist gerade nicht erreichbar. Versuchen Sie es gleich noch einmal.',
  'error.network_error': 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung.',
  'error.generic': 'Etwas ist schiefgelaufen.',
  'error.retry': 'Erneut versuchen',

  'form.required': 'Bitte füllen Sie dieses Feld aus.',
  'form.invalidEmail': 'Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.',
  'form.checkFields': 'Bitte prüfen Sie die markierten Felder.',
  'form.cancel': 'Abbrechen',
  'form.optional': '(optional)',

  'customer.firstname': 'Vorname',
  'customer.lastname': 'Nachname',
  'customer.email': 'E-Mail',
  'customer.mobile': 'Mobilnummer',
  'customer.since': 'Kunde seit',
  'customer.name': 'Name',
  'customer.archived': 'Archiviert',
  'customer.new': 'Neu',
  'customer.none': 'Nicht angegeben',

  'list.label': 'Kunden',
  'list.search': 'Kunden suchen',
  'list.searchHint': 'Name, E-Mail oder Mobilnummer',
  'list.filter': 'Anzeigen',
  'list.filter.active': 'Aktive',
  'list.filter.archived': 'Archivierte',
  'list.filter.all': 'Alle',
  'list.keyboardHint': 'Mit den Pfeiltasten nach oben und unten wechseln Sie zwischen Kunden, mit der Eingabetaste öffnen Sie einen.',
  'list.loading': 'Kunden werden geladen …',
  'list.empty': 'Noch keine Kunden.',
  'list.emptySearch': (p) => `Keine Kunden passen zu „${p.query}“.`,
  'list.emptyFilter': 'In dieser Ansicht gibt es keine Kunden.',
  'list.error': 'Die Kunden konnten nicht geladen werden.',
  'list.loadMore': 'Mehr laden',
  'list.loadingMore': 'Weitere werden geladen …',
  'list.shown': (p) =>
    `${p.count === 1 ? '1 Kunde' : `${p.count} Kunden`} angezeigt${p.more ? ', weitere verfügbar' : ''}.`,
  'list.add': 'Kunde hinzufügen',
  'list.addTitle': 'Einen Kunden hinzufügen',
  'list.addSubmit': 'Kunde hinzufügen',
  'list.adding': 'Wird hinzugefügt …',
  'list.added': (p) => `${p.name} wurde hinzugefügt.`,
};

export default de;
