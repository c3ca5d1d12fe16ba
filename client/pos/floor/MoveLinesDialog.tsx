import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { readOrder } from '../../../shared/live-doc';
import type { DeviceCredentials } from '../../../shared/schemas/auth';
import type { Catalog, StaffMember } from '../../../shared/schemas/catalog';
import type { Order } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import { useNow } from '../../ui/use-now';
import { TableMap } from '../TableMap';
import { tableViews } from '../table-states';
import { FloorDialog } from './FloorDialog';
import { moveLinesToTable } from './floor-actions';

/**
 * Moving single lines to another table [FLR-04]: tick the lines, tap the table (free or not),
 * confirm. Lines keep their ids, so the kitchen's tickets still find them.
 */
export function MoveLinesDialog({
  doc,
  catalog,
  order,
  staff,
  device,
  onMoved,
  onCancel,
}: {
  doc: Y.Doc;
  catalog: Catalog;
  order: Order;
  staff: StaffMember;
  device: DeviceCredentials;
  onMoved: (result: { toOrderId: string; toTableId: string; isSourceLeft: boolean }) => void;
  onCancel: () => void;
}) {
  const { t, pick, number } = useI18n();
  const now = useNow();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [targetId, setTargetId] = useState<string | null>(null);
  // `order` changes with every edit of the document: it stands in for the revision here.
  const views = useMemo(() => tableViews(doc, now), [doc, now, order]);
  const label = catalog.tables.find((table) => table.id === order.tableId)?.label ?? '';
  const lines = order.lines.filter((line) => line.void === null);

  const toggle = (lineId: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (!next.delete(lineId)) next.add(lineId);
      return next;
    });

  const confirm = () => {
    if (!targetId || chosen.size === 0) return;
    const toOrderId = moveLinesToTable(doc, order.id, [...chosen], targetId, {
      branchId: device.branchId,
      staffId: staff.id,
      deviceId: device.id,
      now: Date.now(),
      newId: () => crypto.randomUUID(),
    });
    onMoved({ toOrderId, toTableId: targetId, isSourceLeft: readOrder(doc, order.id).ok });
  };

  return (
    <FloorDialog
      title={t('move.title', { label })}
      testId="move-dialog"
      onCancel={onCancel}
      actions={
        <>
          <button type="button" className="button button--quiet" data-testid="move-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="move-confirm"
            disabled={!targetId || chosen.size === 0}
            onClick={confirm}
          >
            {t('move.confirm', { count: number(chosen.size) })}
          </button>
        </>
      }
    >
      <fieldset className="modifier-group">
        <legend className="modifier-group__name">{t('move.lines')}</legend>
        <div className="modifier-group__options">
          {lines.map((line) => (
            <button
              key={line.id}
              type="button"
              className={`choice${chosen.has(line.id) ? ' choice--chosen' : ''}`}
              aria-pressed={chosen.has(line.id)}
              data-testid={`move-line-${line.itemId}`}
              data-line-id={line.id}
              onClick={() => toggle(line.id)}
            >
              {number(line.qty)}× {pick(line)}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset className="modifier-group">
        <legend className="modifier-group__name">{t('move.toTable')}</legend>
        <TableMap
          catalog={catalog}
          views={views}
          now={now}
          testIdPrefix="target-"
          pick={{ isPickable: (table) => table.id !== order.tableId, pickedTableId: targetId }}
          onTapTable={(table) => table.id !== order.tableId && setTargetId(table.id)}
        />
      </fieldset>
    </FloorDialog>
  );
}
