import type { Locator, Page } from 'playwright-core';

/** The waiter tablet at `/pos`: PIN lock, table map, order entry, payment, receipt. */
export class PosPage {
  constructor(readonly page: Page) {}

  syncStatus(): Locator {
    return this.page.getByTestId('sync-status');
  }

  async pendingCount(): Promise<number> {
    return Number(await this.page.getByTestId('pending-count').getAttribute('data-count'));
  }

  async unlock(pin: string): Promise<void> {
    for (const digit of pin) await this.page.getByTestId(`pin-key-${digit}`).click();
    await this.page.getByTestId('pin-submit').click();
    await this.page.getByTestId('table-map').waitFor();
  }

  /**
   * Taps a table on the floor; a free one asks for the guest count (one tap on a quick count),
   * an occupied one opens straight away. Two taps for a new party.
   */
  async openTable(tableId: string, guests = 2): Promise<void> {
    await this.page.getByTestId(`table-${tableId}`).click();
    const guestsDialog = this.page.getByTestId('guests-dialog');
    const orderScreen = this.page.getByTestId('order-screen');
    await Promise.race([guestsDialog.waitFor(), orderScreen.waitFor()]);
    if (await guestsDialog.isVisible()) {
      if (guests <= 8) {
        await this.page.getByTestId(`guests-${guests}`).click();
      } else {
        await this.page.getByTestId('guests-other').click();
        await this.page.getByTestId('guests-other-input').fill(String(guests));
        await this.page.getByTestId('guests-confirm').click();
      }
    }
    await orderScreen.waitFor();
  }

  async addItem(categoryId: string, itemId: string, choice?: { options: [groupId: string, optionId: string][]; note?: string }) {
    await this.page.getByTestId(`category-${categoryId}`).click();
    await this.page.getByTestId(`item-${itemId}`).click();
    if (choice) {
      const dialog = this.page.getByTestId('modifier-dialog');
      await dialog.waitFor();
      for (const [groupId, optionId] of choice.options) await this.page.getByTestId(`modifier-${groupId}-${optionId}`).click();
      if (choice.note) await this.page.getByTestId('line-note').fill(choice.note);
      await this.page.getByTestId('modifier-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
    }
  }

  lines(): Locator {
    return this.page.getByTestId('order-line');
  }

  async lineStates(): Promise<(string | null)[]> {
    return this.lines().evaluateAll((els) => els.map((e) => e.getAttribute('data-line-state')));
  }

  async sendToKitchen(): Promise<void> {
    await this.page.getByTestId('send-to-kitchen').click();
  }

  async payCash(tendered: string): Promise<void> {
    await this.page.getByTestId('pay-button').click();
    await this.page.getByTestId('payment-screen').waitFor();
    await this.page.getByTestId('cash-tendered').fill(tendered);
  }

  async confirmPayment(): Promise<void> {
    await this.page.getByTestId('confirm-payment').click();
    await this.page.getByTestId('receipt').waitFor();
  }

  settlementState(): Locator {
    return this.page.getByTestId('settlement-state');
  }
}
