import type { ReactNode } from 'react';
import type { Catalog } from '../../../shared/schemas/catalog';
import { PAYMENT_METHODS } from '../../../shared/schemas/order';
import type { ShiftReport } from '../../../shared/schemas/shift';
import { useI18n } from '../../i18n/language';
import type { MessageKey } from '../../i18n/en';
import '../bill/print.css';
import './shift.css';

const METHOD_KEYS: Record<(typeof PAYMENT_METHODS)[number], MessageKey> = {
  cash: 'shift.method.cash',
  card: 'shift.method.card',
  wallet: 'shift.method.wallet',
};

/**
 * The X or Z report, on screen and on an 80 mm roll (`.print-slip`: the shared print CSS shows
 * only it on paper). In the tablet's language, English or Arabic.
 */
export function ShiftReportView({ report, catalog }: { report: ShiftReport; catalog: Catalog }) {
  const { t, pick, money, number, dateTime } = useI18n();
  const staffName = (id: string) => catalog.staff.find((s) => s.id === id)?.name ?? id;
  const row = (label: string, value: ReactNode, testId?: string, minor?: number) => (
    <div className="slip__row" data-testid={testId} data-minor={minor}>
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
  const difference = report.differenceMinor;
  const less = (amount: number) => money(amount === 0 ? 0 : -amount);

  return (
    <section className="print-slip shift-report card" data-testid="shift-report" data-kind={report.kind} aria-label={t(report.kind === 'Z' ? 'shift.zReport' : 'shift.xReport')}>
      <header className="receipt__header">
        <div className="slip__title">{t(report.kind === 'Z' ? 'shift.zReport' : 'shift.xReport')}</div>
        <div className="slip__subtitle">{pick(catalog.branch)}</div>
        <div className="slip__small">{t('shift.device', { id: report.deviceId })}</div>
        <div className="slip__small">{t('shift.openedAtBy', { at: dateTime(Date.parse(report.openedAt)), name: staffName(report.openedBy) })}</div>
        <div className="slip__small">
          {report.closedAt ? t('shift.closedAt', { at: dateTime(Date.parse(report.closedAt)) }) : t('shift.asOf', { at: dateTime(Date.parse(report.asOf)) })}
        </div>
      </header>
      <div className="slip__section">
        {row(t('shift.orders'), number(report.orderCount), 'report-orders', report.orderCount)}
        {PAYMENT_METHODS.map((m) => row(t('shift.salesBy', { method: t(METHOD_KEYS[m]) }), money(report.salesByMethod[m]), `report-sales-${m}`, report.salesByMethod[m]))}
        {PAYMENT_METHODS.filter((m) => report.tipsByMethod[m] > 0).map((m) =>
          row(t('shift.tipsBy', { method: t(METHOD_KEYS[m]) }), money(report.tipsByMethod[m]), `report-tips-${m}`, report.tipsByMethod[m]),
        )}
      </div>
      <div className="slip__section">
        {row(t('shift.subtotal'), money(report.subtotalMinor), 'report-subtotal', report.subtotalMinor)}
        {row(t('shift.discounts', { count: number(report.discountCount) }), less(report.discountMinor), 'report-discounts', report.discountMinor)}
        {row(t('shift.service'), money(report.serviceMinor), 'report-service', report.serviceMinor)}
        {row(t('shift.vat'), money(report.vatMinor), 'report-vat', report.vatMinor)}
        {row(t('shift.total'), money(report.totalMinor), 'report-total', report.totalMinor)}
        {row(t('shift.voids', { count: number(report.voidCount) }), money(report.voidMinor), 'report-voids', report.voidMinor)}
        {row(t('shift.refunds', { count: number(report.refundCount) }), money(report.refundMinor), 'report-refunds', report.refundMinor)}
      </div>
      <div className="slip__section">
        {row(t('shift.float'), money(report.floatMinor), 'report-float', report.floatMinor)}
        {row(t('shift.cashSales'), money(report.salesByMethod.cash + report.tipsByMethod.cash), 'report-cash-in', report.salesByMethod.cash + report.tipsByMethod.cash)}
        {row(t('shift.payIns'), money(report.payInMinor), 'report-pay-ins', report.payInMinor)}
        {row(t('shift.payOuts'), less(report.payOutMinor), 'report-pay-outs', report.payOutMinor)}
        {row(t('shift.cashRefunds'), less(report.refundsByMethod.cash), 'report-cash-refunds', report.refundsByMethod.cash)}
        {row(t('shift.expectedCash'), money(report.expectedCashMinor), 'report-expected', report.expectedCashMinor)}
        {report.countedCashMinor !== null && row(t('shift.countedCash'), money(report.countedCashMinor), 'report-counted', report.countedCashMinor)}
        {difference !== null && (
          <div className={`slip__row shift-difference${difference === 0 ? '' : ' shift-difference--off'}`} data-testid="report-difference" data-minor={difference}>
            <span>{t('shift.difference')}</span>
            <strong>{money(difference)}</strong>
          </div>
        )}
      </div>
    </section>
  );
}
