import type { Locator, Page } from 'playwright-core';

/** The manager's audit log at `/manage/audit` (AUDIT-04): filter chips, entries, load more. */
export class AuditPage {
  constructor(readonly page: Page) {}

  /** From the manager's home (signed in). */
  async open(): Promise<void> {
    await this.page.getByTestId('open-audit').click();
    await this.page.getByTestId('audit-page').waitFor();
    await this.waitLoaded();
  }

  /** The first page is shown: a list, or the empty state. */
  async waitLoaded(): Promise<void> {
    await this.page.locator('[data-testid="audit-list"], [data-testid="audit-empty"]').first().waitFor();
  }

  /** Taps an action's filter chip (`all` for none) and waits until it is the pressed one. */
  async filter(action: string): Promise<void> {
    const chip = this.page.getByTestId(`audit-filter-${action}`);
    await chip.click();
    await this.page.locator(`[data-testid="audit-filter-${action}"][aria-pressed="true"]`).waitFor();
    await this.page.getByTestId('audit-loading').waitFor({ state: 'hidden' });
    await this.waitLoaded();
  }

  entries(action?: string): Locator {
    return this.page.locator(action ? `[data-testid="audit-entry"][data-action="${action}"]` : '[data-testid="audit-entry"]');
  }

  entryOf(action: string, orderId: string): Locator {
    return this.page.locator(`[data-testid="audit-entry"][data-action="${action}"][data-order-id="${orderId}"]`);
  }

  /** The actions of every entry shown, in order. */
  async actions(): Promise<string[]> {
    return this.entries().evaluateAll((els) => els.map((el) => el.getAttribute('data-action') ?? ''));
  }
}
