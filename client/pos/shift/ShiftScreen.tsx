import { useCallback, useEffect, useState } from 'react';
import { parseMajorInput } from '../../../shared/money';
import type { DeviceCredentials } from '../../../shared/schemas/auth';
import type { Catalog, StaffMember } from '../../../shared/schemas/catalog';
import type { CashMovementKind, Shift, ShiftReport } from '../../../shared/schemas/shift';
import type { DenominationCounts } from '../../../shared/shift-cash';
import { useI18n } from '../../i18n/language';
import type { ApiFailure, ApiResult } from '../../sync/api-client';
import { DenominationCounter } from './DenominationCounter';
import { ShiftApproval } from './ShiftApproval';
import { ShiftReportView } from './ShiftReportView';
import { addCashMovement, closeShift, fetchCurrentShift, fetchShiftReport, openShift, type ShiftCaller } from './shift-api';
import './shift.css';

type View = { name: 'drawer' } | { name: 'report'; report: ShiftReport } | { name: 'count'; expectedMinor: number };

/**
 * The tablet's cash drawer (docs/SPEC.md SHIFT-*): open a shift with a float, pay-ins and
 * pay-outs with a reason, the X report at any time, and the close — notes and coins counted
 * against the expected cash — ending with the Z report to print. Online only: every step is one
 * request the server records; offline, the screen says so and nothing is half-done.
 */
export function ShiftScreen({
  device,
  staff,
  catalog,
  onBack,
}: {
  device: DeviceCredentials;
  staff: StaffMember;
  catalog: Catalog;
  onBack: () => void;
}) {
  const { t, money, dateTime, apiFailure } = useI18n();
  const [approval, setApproval] = useState<{ approver: StaffMember; pin: string } | null>(null);
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const [view, setView] = useState<View>({ name: 'drawer' });
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [floatText, setFloatText] = useState('');
  const [movementKind, setMovementKind] = useState<CashMovementKind>('pay-out');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const [counts, setCounts] = useState<DenominationCounts>({});
  const [formError, setFormError] = useState<string | null>(null);

  const caller: ShiftCaller | null = approval
    ? { branchId: device.branchId, deviceToken: device.token, staffId: staff.id, approval: { approverId: approval.approver.id, pin: approval.pin } }
    : null;

  /** Runs one request; a failure is shown, success handed on. */
  const run = useCallback(async <T,>(request: () => Promise<ApiResult<T>>, onDone: (value: T) => void) => {
    setIsBusy(true);
    setFailure(null);
    const answer = await request();
    setIsBusy(false);
    if (answer.ok) onDone(answer.value);
    else setFailure(answer.failure);
  }, []);

  useEffect(() => {
    if (!approval) return;
    const c: ShiftCaller = { branchId: device.branchId, deviceToken: device.token, staffId: staff.id, approval: { approverId: approval.approver.id, pin: approval.pin } };
    void run(() => fetchCurrentShift(c), (answer) => setShift(answer.shift));
  }, [approval, device, staff.id, run]);

  if (!approval || !caller) {
    return (
      <main className="screen__body screen__body--centred" data-testid="shift-screen">
        <ShiftApproval permission="shifts:manage" staff={catalog.staff} onApproved={setApproval} onCancel={onBack} />
      </main>
    );
  }

  const open = () => {
    const floatMinor = parseMajorInput(floatText || '0');
    if (floatMinor === null) return setFormError(t('shift.badAmount'));
    setFormError(null);
    void run(() => openShift(caller, { id: crypto.randomUUID(), floatMinor }), (answer) => setShift(answer.shift));
  };

  const record = () => {
    if (!shift) return;
    const amountMinor = parseMajorInput(amountText);
    if (amountMinor === null || amountMinor <= 0) return setFormError(t('shift.badAmount'));
    if (reason.trim() === '') return setFormError(t('shift.reasonRequired'));
    setFormError(null);
    void run(
      () => addCashMovement(caller, shift.id, { id: crypto.randomUUID(), kind: movementKind, amountMinor, reason: reason.trim() }),
      (answer) => {
        setShift(answer.shift);
        setAmountText('');
        setReason('');
      },
    );
  };

  const showX = () => shift && void run(() => fetchShiftReport(caller, shift.id), (answer) => setView({ name: 'report', report: answer.report }));
  const startCount = () =>
    shift && void run(() => fetchShiftReport(caller, shift.id), (answer) => setView({ name: 'count', expectedMinor: answer.report.expectedCashMinor }));
  const close = () =>
    shift &&
    void run(() => closeShift(caller, shift.id, { counts }), (answer) => {
      setView({ name: 'report', report: answer.report });
      setShift(null);
      setCounts({});
    });

  const bar = (title: string, back: () => void) => (
    <div className="shift-screen__bar no-print">
      <button type="button" className="button button--quiet" data-testid="shift-back" onClick={back}>
        {t('shift.back')}
      </button>
      <h1 className="page-title">{title}</h1>
    </div>
  );
  const problems = (
    <>
      {failure && (
        <p className="error-text no-print" role="alert" data-testid="shift-error">
          {failure.kind === 'network' ? t('shift.online') : apiFailure(failure)}
        </p>
      )}
      {formError && (
        <p className="error-text no-print" role="alert" data-testid="shift-form-error">
          {formError}
        </p>
      )}
    </>
  );

  let body;
  if (view.name === 'report') {
    body = (
      <>
        {bar(t(view.report.kind === 'Z' ? 'shift.zReport' : 'shift.xReport'), () => setView({ name: 'drawer' }))}
        <ShiftReportView report={view.report} catalog={catalog} />
        <div className="shift-screen__bar no-print">
          <button type="button" className="button button--primary" data-testid="shift-print" onClick={() => window.print()}>
            {t('shift.print')}
          </button>
          <button type="button" className="button button--secondary" data-testid="shift-report-done" onClick={() => setView({ name: 'drawer' })}>
            {t('shift.done')}
          </button>
        </div>
      </>
    );
  } else if (view.name === 'count') {
    body = (
      <>
        {bar(t('shift.closeTitle'), () => setView({ name: 'drawer' }))}
        {problems}
        <div className="card">
          <DenominationCounter counts={counts} onChange={setCounts} expectedMinor={view.expectedMinor} />
        </div>
        <button type="button" className="button button--primary button--wide" data-testid="shift-close-confirm" disabled={isBusy} onClick={close}>
          {t('shift.closeConfirm')}
        </button>
      </>
    );
  } else if (shift === undefined) {
    body = (
      <>
        {bar(t('shift.title'), onBack)}
        {problems}
        {!failure && <p className="muted">{t('common.loading')}</p>}
      </>
    );
  } else if (shift === null) {
    body = (
      <>
        {bar(t('shift.title'), onBack)}
        {problems}
        <section className="card shift-form" data-testid="shift-status" data-state="none">
          <h2 className="card__title">{t('shift.none')}</h2>
          <label className="field">
            <span className="field__label">{t('shift.floatLabel')}</span>
            <input className="field__input field__input--large" inputMode="decimal" data-testid="shift-float" value={floatText} onChange={(e) => setFloatText(e.target.value)} />
          </label>
          <button type="button" className="button button--primary" data-testid="shift-open" disabled={isBusy} onClick={open}>
            {t('shift.open')}
          </button>
        </section>
      </>
    );
  } else {
    const openedBy = catalog.staff.find((s) => s.id === shift.openedBy)?.name ?? shift.openedBy;
    body = (
      <>
        {bar(t('shift.title'), onBack)}
        {problems}
        <div className="shift-screen__columns">
          <section className="card shift-form" data-testid="shift-status" data-state="open" data-shift-id={shift.id}>
            <h2 className="card__title">{t('shift.openSince', { at: dateTime(Date.parse(shift.openedAt)), name: openedBy })}</h2>
            <div className="totals__row">
              <span>{t('shift.float')}</span>
              <span data-testid="shift-float-shown">{money(shift.floatMinor)}</span>
            </div>
            {shift.movements.length > 0 && (
              <ul className="shift-movements" data-testid="shift-movements">
                {shift.movements.map((m) => (
                  <li key={m.id} data-testid="shift-movement" data-kind={m.kind}>
                    <span>
                      {t(m.kind === 'pay-in' ? 'shift.payIn' : 'shift.payOut')} · {m.reason}
                    </span>
                    <strong>{money(m.kind === 'pay-in' ? m.amountMinor : -m.amountMinor)}</strong>
                  </li>
                ))}
              </ul>
            )}
            <div className="shift-screen__bar">
              <button type="button" className="button button--secondary" data-testid="shift-x-report" disabled={isBusy} onClick={showX}>
                {t('shift.xReport')}
              </button>
              <button type="button" className="button button--primary" data-testid="shift-close" disabled={isBusy} onClick={startCount}>
                {t('shift.close')}
              </button>
            </div>
          </section>
          <section className="card shift-form" aria-labelledby="movement-title">
            <h2 id="movement-title" className="card__title">
              {t('shift.movementTitle')}
            </h2>
            <div className="tabs" role="tablist">
              {(['pay-in', 'pay-out'] as const).map((kind) => (
                <button
                  key={kind}
                  type="button"
                  role="tab"
                  aria-selected={movementKind === kind}
                  className="tabs__tab"
                  data-testid={`movement-${kind}`}
                  onClick={() => setMovementKind(kind)}
                >
                  {t(kind === 'pay-in' ? 'shift.payIn' : 'shift.payOut')}
                </button>
              ))}
            </div>
            <label className="field">
              <span className="field__label">{t('shift.amount')}</span>
              <input className="field__input" inputMode="decimal" data-testid="movement-amount" value={amountText} onChange={(e) => setAmountText(e.target.value)} />
            </label>
            <label className="field">
              <span className="field__label">{t('shift.reason')}</span>
              <input className="field__input" data-testid="movement-reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            <button type="button" className="button button--primary" data-testid="movement-submit" disabled={isBusy} onClick={record}>
              {t('shift.record')}
            </button>
          </section>
        </div>
      </>
    );
  }

  return (
    <main className="screen__body" data-testid="shift-screen">
      <div className="shift-screen">{body}</div>
    </main>
  );
}
