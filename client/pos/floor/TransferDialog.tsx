import { useMemo } from 'react';
import type * as Y from 'yjs';
import type { Catalog } from '../../../shared/schemas/catalog';
import type { Order } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import { useNow } from '../../ui/use-now';
import { TableMap } from '../TableMap';
import { isTableFree, tableViews } from '../table-states';
import { FloorDialog } from './FloorDialog';
import { transferTable } from './floor-actions';

/** Moving a whole table to a free one from inside the order [FLR-03]: one tap on the new table. */
export function TransferDialog({
  doc,
  catalog,
  order,
  onTransferred,
  onCancel,
}: {
  doc: Y.Doc;
  catalog: Catalog;
  order: Order;
  onTransferred: (toTableId: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const now = useNow();
  // `order` changes with every edit of the document: it stands in for the revision here.
  const views = useMemo(() => tableViews(doc, now), [doc, now, order]);
  const label = catalog.tables.find((table) => table.id === order.tableId)?.label ?? '';
  const hasFree = catalog.tables.some((table) => !views.get(table.id)?.openOrder);

  return (
    <FloorDialog
      title={t('transfer.title', { label })}
      testId="transfer-dialog"
      onCancel={onCancel}
      actions={
        <button type="button" className="button button--quiet" data-testid="transfer-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      }
    >
      {!hasFree && <p className="muted">{t('transfer.none')}</p>}
      <TableMap
        catalog={catalog}
        views={views}
        now={now}
        testIdPrefix="target-"
        pick={{ isPickable: (_table, view) => isTableFree(view), pickedTableId: order.tableId }}
        onTapTable={(table, view) => {
          if (!isTableFree(view) || table.id === order.tableId) return;
          transferTable(doc, order.id, table.id);
          onTransferred(table.id);
        }}
      />
    </FloorDialog>
  );
}
