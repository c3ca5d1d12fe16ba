import { useEffect, useState } from 'react';
import type { MenuItem, ModifierGroup } from '../../shared/schemas/catalog';
import { useI18n } from '../i18n/language';
import { areChoicesComplete, toggleChoice, type ChosenOption } from './order-lines';

const NOTE_MAX_LENGTH = 200;

/**
 * Choices for an item with modifier groups (size, extras…) and a note for the kitchen. A group
 * that allows one choice behaves like radio buttons; others toggle up to their maximum (options
 * beyond it are shown disabled). "Add" stays disabled until every group is within its minimum
 * and maximum, the same rule the server applies [SET-04]. Priced options show their price.
 */
export function ModifierDialog({
  item,
  groups,
  onConfirm,
  onCancel,
}: {
  item: MenuItem;
  groups: readonly ModifierGroup[];
  onConfirm: (chosen: ChosenOption[], note: string) => void;
  onCancel: () => void;
}) {
  const { t, pick, money } = useI18n();
  const [selected, setSelected] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  const [note, setNote] = useState('');

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  const toggle = (group: ModifierGroup, optionId: string) =>
    setSelected((current) => new Map(current).set(group.id, toggleChoice(group, current.get(group.id) ?? [], optionId)));

  const isComplete = areChoicesComplete(groups, selected);
  const unitMinor =
    item.priceMinor +
    groups.reduce(
      (sum, group) => sum + group.options.filter((o) => selected.get(group.id)?.includes(o.id)).reduce((s, o) => s + o.priceMinor, 0),
      0,
    );

  const confirm = () => {
    if (!isComplete) return;
    const chosen = groups.flatMap((group) =>
      group.options
        .filter((option) => selected.get(group.id)?.includes(option.id))
        .map((option): ChosenOption => ({ group, option })),
    );
    onConfirm(chosen, note);
  };

  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="modifier-title"
        data-testid="modifier-dialog"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="modifier-title" className="dialog__title">
          {pick(item)} <span className="muted">{money(item.priceMinor)}</span>
        </h2>
        <div className="dialog__body">
          {groups.map((group) => {
            const chosen = selected.get(group.id) ?? [];
            const isRequired = group.minSelect >= 1;
            return (
              <fieldset
                key={group.id}
                className="modifier-group"
                data-testid={`modifier-group-${group.id}`}
                data-required={isRequired}
              >
                <legend className="modifier-group__name">
                  {pick(group)}{' '}
                  <span className={isRequired ? 'tag tag--required' : 'tag'}>
                    {t(isRequired ? 'modifier.required' : 'modifier.optional')}
                  </span>
                  {group.maxSelect > 1 && <span className="muted"> · {t('modifier.upTo', { max: group.maxSelect })}</span>}
                </legend>
                <div className="modifier-group__options">
                  {group.options.map((option) => {
                    const isChosen = chosen.includes(option.id);
                    const isFull = !isChosen && group.maxSelect > 1 && chosen.length >= group.maxSelect;
                    return (
                      <button
                        key={option.id}
                        type="button"
                        className={`choice${isChosen ? ' choice--chosen' : ''}`}
                        aria-pressed={isChosen}
                        disabled={isFull}
                        data-testid={`modifier-${group.id}-${option.id}`}
                        onClick={() => toggle(group, option.id)}
                      >
                        <span>{pick(option)}</span>
                        {option.priceMinor > 0 && <span className="choice__price">+{money(option.priceMinor)}</span>}
                      </button>
                    );
                  })}
                </div>
              </fieldset>
            );
          })}
          <label className="field">
            <span className="field__label">{t('modifier.note')}</span>
            <textarea
              className="field__input"
              data-testid="line-note"
              rows={2}
              maxLength={NOTE_MAX_LENGTH}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
        </div>
        <div className="dialog__actions">
          <button type="button" className="button button--quiet" data-testid="modifier-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" data-testid="modifier-confirm" disabled={!isComplete} onClick={confirm}>
            {t('modifier.confirm')} · <span data-testid="modifier-unit-price">{money(unitMinor)}</span>
          </button>
        </div>
      </div>
    </div>
  );
}
