import { expect } from '@open-wc/testing';
import { formatDate, formatMoney, formatNumber } from '../../../widgets/core/format.ts';
import { loadMessages, messagesFor, translate } from '../../../widgets/core/localize.ts';
import de from '../../../widgets/core/messages/de.ts';
import en from '../../../widgets/core/messages/en.ts';

describe('format and localize', () => {
  it('formats money from minor units in the tenant currency', () => {
    expect(formatMoney(123456, { locale: 'en-GB', currency: 'GBP' })).to.equal('£1,234.56');
    expect(formatMoney(123456, { locale: 'de-DE', currency: 'EUR' })).to.equal('1.234,56\u00a0€');
    expect(formatMoney(1500, { locale: 'en-US', currency: 'JPY' })).to.equal('¥1,500');
    expect(formatNumber(1234.5, { locale: 'de-DE' })).to.equal('1.234,5');
  });

  it('formats dates in the tenant timezone, not the viewer’s', () => {
    const lateEvening = '2024-03-31T23:30:00Z';
    expect(formatDate(lateEvening, { locale: 'en-GB', timeZone: 'Europe/London' })).to.equal('1 Apr 2024');
    expect(formatDate(lateEvening, { locale: 'en-GB', timeZone: 'America/New_York' })).to.equal('31 Mar 2024');
    expect(formatDate(null, { locale: 'en-GB' })).to.equal('');
    expect(formatDate('2024-01-01', { locale: 'en-GB', timeZone: 'Not/AZone' })).to.not.equal('');
  });

  it('has every English message in German, loaded on first use, and falls back to English', async () => {
    expect(Object.keys(de).sort()).to.deep.equal(Object.keys(en).sort());
    await loadMessages('de-AT');
    expect(translate('de-AT', 'list.search')).to.equal('Kunden suchen');
    expect(translate('fr-FR', 'list.search')).to.equal('Search customers');
    expect(translate('de', 'list.shown', { count: 1, more: true })).to.equal('1 Kunde angezeigt, weitere verfügbar.');
    expect(messagesFor('EN-gb')).to.equal(en);
  });
});
