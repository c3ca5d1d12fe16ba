import { useEffect, useState } from 'react';
import type { OrderCustomer, OrderType } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import {
  findCachedCustomers,
  isCompletePhone,
  lookupCustomer,
  normalisePhone,
  saveCustomerLocally,
  toOrderCustomer,
  type CachedCustomer,
} from '../../sync/customer-cache';
import { requestCustomerSync } from '../../sync/use-customer-sync';
import { FloorDialog } from './FloorDialog';

const NEW_ADDRESS = '\u0000new';
const LOOKUP_PAUSE_MS = 150;

/**
 * Finding the customer of an order by phone [CUS-05]: matches come from the tablet's cache as
 * the number is typed (so it works offline), then from the server for a full number not cached.
 * A new customer (or a new address) is saved on the tablet first and sent to the server by
 * `useCustomerSync`; the order gets the customer at once either way. A delivery needs an address.
 */
export function CustomerDialog({
  branchId,
  token,
  orderType,
  current,
  onAttach,
  onDetach,
  onSkip,
  onCancel,
}: {
  branchId: string;
  token: string;
  orderType: OrderType;
  current: OrderCustomer | null;
  onAttach: (customer: OrderCustomer) => void;
  onDetach?: () => void;
  /** Shown when starting a takeaway: go on without a customer. */
  onSkip?: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [phone, setPhone] = useState(current?.phone ?? '');
  const [matches, setMatches] = useState<CachedCustomer[]>([]);
  const [selected, setSelected] = useState<CachedCustomer | null>(null);
  const [name, setName] = useState('');
  const [chosenAddress, setChosenAddress] = useState<string>(NEW_ADDRESS);
  const [typedAddress, setTypedAddress] = useState('');
  const [isSaving, setIsSaving] = useState(false);

  const normalised = normalisePhone(phone);
  const isComplete = isCompletePhone(normalised);
  const needsAddress = orderType === 'delivery';

  useEffect(() => {
    let isCurrent = true;
    // A short pause while digits are still coming, so a full number asks the server once.
    const timer = setTimeout(() => {
      void (async () => {
        const found = await findCachedCustomers(branchId, normalised);
        const exact = found.find((c) => c.phone === normalised) ?? (isComplete ? await lookupCustomer(branchId, token, normalised) : null);
        if (!isCurrent) return;
        setMatches(found);
        setSelected(exact);
        if (exact) setChosenAddress(needsAddress ? (exact.addresses[0] ?? NEW_ADDRESS) : NEW_ADDRESS);
      })().catch(() => undefined);
    }, LOOKUP_PAUSE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [branchId, token, normalised, isComplete, needsAddress]);

  const address = chosenAddress === NEW_ADDRESS ? typedAddress.trim() : chosenAddress;
  const isAddressOk = !needsAddress || address.length > 0;
  const customerName = selected?.name ?? name.trim();
  const canSave = isComplete && customerName.length > 0 && isAddressOk && !isSaving;

  const attach = async () => {
    if (!canSave) return;
    setIsSaving(true);
    try {
      const isNewAddress = chosenAddress === NEW_ADDRESS && address.length > 0;
      const customer =
        selected && !isNewAddress ? selected : await saveCustomerLocally(branchId, { phone: normalised, name: customerName, address: address || null });
      onAttach(toOrderCustomer(customer, address || null));
      if (customer !== selected) requestCustomerSync();
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <FloorDialog
      title={t('customer.title')}
      testId="customer-dialog"
      onCancel={onCancel}
      actions={
        <>
          {onDetach && current && (
            <button type="button" className="button button--quiet" data-testid="customer-detach" onClick={onDetach}>
              {t('customer.detach')}
            </button>
          )}
          {onSkip && (
            <button type="button" className="button button--quiet" data-testid="customer-skip" onClick={onSkip}>
              {t('customer.skip')}
            </button>
          )}
          <button type="button" className="button button--quiet" data-testid="customer-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" data-testid="customer-attach" disabled={!canSave} onClick={() => void attach()}>
            {selected ? t('customer.attach') : t('customer.save')}
          </button>
        </>
      }
    >
      {current && (
        <p className="notice notice--inline" data-testid="customer-current">
          {t('customer.current')}: <bdi>{current.name}</bdi> · <bdi>{current.phone}</bdi>
          {current.address && (
            <>
              {' · '}
              <bdi>{current.address}</bdi>
            </>
          )}
        </p>
      )}
      <label className="field">
        <span className="field__label">{t('customer.phone')}</span>
        <input
          className="field__input field__input--large"
          data-testid="customer-phone"
          type="tel"
          inputMode="tel"
          dir="ltr"
          autoComplete="off"
          autoFocus
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
        />
      </label>
      {normalised.length < 3 && <p className="muted">{t('customer.typeMore')}</p>}
      {!selected && matches.length > 0 && (
        <div className="customer-matches">
          {matches.map((match) => (
            <button
              key={match.phone}
              type="button"
              className="choice customer-matches__item"
              data-testid={`customer-match-${match.phone}`}
              onClick={() => setPhone(match.phone)}
            >
              <bdi>{match.name}</bdi>
              <bdi className="muted">{match.phone}</bdi>
            </button>
          ))}
        </div>
      )}
      {selected && (
        <div className="customer-known" data-testid="customer-known" data-pending={selected.id === null}>
          <span className="tag tag--ready">{t('customer.known')}</span> <strong data-testid="customer-known-name" dir="auto">{selected.name}</strong>
          {selected.id === null && <p className="muted">{t('customer.pending')}</p>}
        </div>
      )}
      {!selected && isComplete && (
        <>
          <p className="muted">{t('customer.new')}</p>
          <label className="field">
            <span className="field__label">{t('customer.name')}</span>
            <input className="field__input" data-testid="customer-name" dir="auto" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        </>
      )}
      {isComplete && needsAddress && (
        <fieldset className="modifier-group">
          <legend className="modifier-group__name">
            {t('customer.address')} <span className="tag tag--required">{t('modifier.required')}</span>
          </legend>
          <div className="modifier-group__options">
            {(selected?.addresses ?? []).map((known, index) => (
              <button
                key={known}
                type="button"
                className={`choice${chosenAddress === known ? ' choice--chosen' : ''}`}
                aria-pressed={chosenAddress === known}
                data-testid={`customer-address-${index}`}
                onClick={() => setChosenAddress(known)}
              >
                <bdi>{known}</bdi>
              </button>
            ))}
            {(selected?.addresses.length ?? 0) > 0 && (
              <button
                type="button"
                className={`choice${chosenAddress === NEW_ADDRESS ? ' choice--chosen' : ''}`}
                aria-pressed={chosenAddress === NEW_ADDRESS}
                data-testid="customer-address-new"
                onClick={() => setChosenAddress(NEW_ADDRESS)}
              >
                {t('customer.newAddress')}
              </button>
            )}
          </div>
          {chosenAddress === NEW_ADDRESS && (
            <textarea
              className="field__input"
              data-testid="customer-address"
              rows={2}
              dir="auto"
              maxLength={300}
              aria-label={t('customer.address')}
              value={typedAddress}
              onChange={(e) => setTypedAddress(e.target.value)}
            />
          )}
          {!isAddressOk && <p className="muted">{t('customer.addressNeeded')}</p>}
        </fieldset>
      )}
    </FloorDialog>
  );
}
