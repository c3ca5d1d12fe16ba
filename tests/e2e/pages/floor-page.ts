import type { Locator, Page } from 'playwright-core';

/**
 * The waiter tablet's floor at `/pos` (client/pos/floor): table states, guest count, the table
 * actions picked on the map, the takeaway and delivery queue, and the customer lookup.
 */
export class FloorPage {
  constructor(readonly page: Page) {}

  table(tableId: string): Locator {
    return this.page.getByTestId(`table-${tableId}`);
  }

  tableState(tableId: string): Promise<string | null> {
    return this.table(tableId).getAttribute('data-state');
  }

  async tableText(tableId: string, part: 'guests' | 'minutes' | 'settlement'): Promise<string> {
    return (await this.page.getByTestId(`table-${part}-${tableId}`).textContent()) ?? '';
  }

  async showZone(zoneId: string): Promise<void> {
    await this.page.getByTestId(`zone-${zoneId}`).click();
  }

  /** From the order screen back to the floor. */
  async backToFloor(): Promise<void> {
    await this.page.getByTestId('back-to-tables').click();
    await this.page.getByTestId('table-map').waitFor();
  }

  async transfer(fromTableId: string, toTableId: string): Promise<void> {
    await this.page.getByTestId('floor-transfer').click();
    await this.table(fromTableId).click();
    await this.table(toTableId).click();
    await this.page.getByTestId('floor-message').waitFor();
  }

  async merge(fromTableId: string, intoTableId: string): Promise<void> {
    await this.page.getByTestId('floor-merge').click();
    await this.table(fromTableId).click();
    await this.table(intoTableId).click();
    await this.page.getByTestId('floor-message').waitFor();
  }

  /** Moves the lines of the given items from one table to another, picked in the move dialog. */
  async moveItems(fromTableId: string, itemIds: readonly string[], toTableId: string): Promise<void> {
    await this.page.getByTestId('floor-move').click();
    await this.table(fromTableId).click();
    const dialog = this.page.getByTestId('move-dialog');
    await dialog.waitFor();
    for (const itemId of itemIds) await this.page.getByTestId(`move-line-${itemId}`).click();
    await this.page.getByTestId(`target-table-${toTableId}`).click();
    await this.page.getByTestId('move-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  queue(): Locator {
    return this.page.getByTestId('takeaway-queue');
  }

  queueCards(): Locator {
    return this.queue().locator('[data-testid^="queue-order-"]');
  }

  /** Starts a takeaway or delivery order; the customer dialog opens. */
  async newCounterOrder(type: 'takeaway' | 'delivery'): Promise<void> {
    await this.page.getByTestId(`queue-new-${type}`).click();
    await this.page.getByTestId('customer-dialog').waitFor();
  }

  async typePhone(phone: string): Promise<void> {
    await this.page.getByTestId('customer-phone').fill(phone);
  }

  /** Picks a cached match by phone, waits until it is known, and attaches it. */
  async pickMatch(phone: string): Promise<string> {
    await this.page.getByTestId(`customer-match-${phone}`).click();
    const name = this.page.getByTestId('customer-known-name');
    await name.waitFor();
    return (await name.textContent()) ?? '';
  }

  async fillNewCustomer(name: string, address?: string): Promise<void> {
    await this.page.getByTestId('customer-name').fill(name);
    if (address) await this.page.getByTestId('customer-address').fill(address);
  }

  async attachCustomer(): Promise<void> {
    await this.page.getByTestId('customer-attach').click();
    await this.page.getByTestId('order-screen').waitFor();
  }

  /** Counts every tap (click) on the page from now on, to measure flows. */
  async startCountingTaps(): Promise<void> {
    await this.page.evaluate(() => {
      const counted = window as unknown as { restoflowTaps?: number };
      if (counted.restoflowTaps === undefined) document.addEventListener('click', () => (counted.restoflowTaps = (counted.restoflowTaps ?? 0) + 1), true);
      counted.restoflowTaps = 0;
    });
  }

  taps(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { restoflowTaps?: number }).restoflowTaps ?? 0);
  }
}
