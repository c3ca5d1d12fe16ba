import { useMemo, useState, type ReactNode } from 'react';
import type { Catalog, MenuItem } from '../../../shared/schemas/catalog';
import { useI18n } from '../../i18n/language';
import { searchMenu } from './menu-search';

/**
 * The menu side of the order screen: category tabs, and a search box that looks through every
 * category at once (English or Arabic names). One tap on an item adds it, or opens its choices.
 */
export function MenuPanel({
  catalog,
  onPick,
  toolbar,
}: {
  catalog: Catalog;
  onPick: (item: MenuItem) => void;
  /** Shown under the search box (the order screen puts the seat and course for new items there). */
  toolbar?: ReactNode;
}) {
  const { t, pick, money } = useI18n();
  const [categoryId, setCategoryId] = useState(() => catalog.categories[0]?.id ?? null);
  const [query, setQuery] = useState('');
  const isSearching = query.trim().length > 0;
  const items = useMemo(
    () => (isSearching ? searchMenu(catalog.items, query) : catalog.items.filter((item) => item.categoryId === categoryId)),
    [catalog.items, categoryId, isSearching, query],
  );

  return (
    <section className="order-screen__menu">
      <div className="menu-search">
        <input
          type="search"
          className="field__input menu-search__input"
          data-testid="menu-search"
          placeholder={t('entry.search')}
          aria-label={t('entry.search')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        {isSearching && (
          <button type="button" className="button button--quiet" data-testid="menu-search-clear" onClick={() => setQuery('')}>
            {t('entry.searchClear')}
          </button>
        )}
      </div>
      {toolbar}
      {!isSearching && (
        <div className="tabs" role="tablist">
          {catalog.categories.map((category) => (
            <button
              key={category.id}
              type="button"
              role="tab"
              aria-selected={category.id === categoryId}
              className="tabs__tab"
              data-testid={`category-${category.id}`}
              onClick={() => setCategoryId(category.id)}
            >
              {pick(category)}
            </button>
          ))}
        </div>
      )}
      {isSearching && items.length === 0 ? (
        <p className="muted" data-testid="menu-no-match">
          {t('entry.noMatch', { query: query.trim() })}
        </p>
      ) : (
        <div className="menu-grid" data-testid="menu-grid">
          {items.map((item) => (
            <button key={item.id} type="button" className="menu-item" data-testid={`item-${item.id}`} onClick={() => onPick(item)}>
              <span className="menu-item__name">{pick(item)}</span>
              <span className="menu-item__price">{money(item.priceMinor)}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
