import type { BrowserContext, Locator, Page } from 'playwright-core';

declare global {
  interface Window {
    __restoflowTaps?: number;
  }
}

/**
 * Counts the taps a person makes: every trusted click anywhere in the page (Playwright's clicks
 * are real input events, so they count; a script's `.click()` would not). Install before the
 * first page of the context opens.
 */
export async function countTaps(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    window.__restoflowTaps = 0;
    window.addEventListener(
      'click',
      (event) => {
        if (event.isTrusted) window.__restoflowTaps = (window.__restoflowTaps ?? 0) + 1;
      },
      true,
    );
  });
}

/** The order screen of the waiter tablet: menu, search, seats and courses, lines, voids, discounts. */
export class OrderPage {
  constructor(readonly page: Page) {}

  async resetTaps(): Promise<void> {
    await this.page.evaluate(() => {
      window.__restoflowTaps = 0;
    });
  }

  async taps(): Promise<number> {
    return this.page.evaluate(() => window.__restoflowTaps ?? 0);
  }

  screen(): Locator {
    return this.page.getByTestId('order-screen');
  }

  async orderId(): Promise<string> {
    return (await this.screen().getAttribute('data-order-id')) ?? '';
  }

  async search(query: string): Promise<void> {
    await this.page.getByTestId('menu-search').fill(query);
  }

  async clearSearch(): Promise<void> {
    const clear = this.page.getByTestId('menu-search-clear');
    if (await clear.isVisible()) await clear.click();
  }

  /** Taps an item (from the category tabs, or from search results when searching). */
  async tapItem(itemId: string, categoryId?: string): Promise<void> {
    if (categoryId) await this.page.getByTestId(`category-${categoryId}`).click();
    await this.page.getByTestId(`item-${itemId}`).click();
  }

  async chooseModifiers(options: [groupId: string, optionId: string][], note?: string): Promise<void> {
    const dialog = this.page.getByTestId('modifier-dialog');
    await dialog.waitFor();
    for (const [groupId, optionId] of options) await this.page.getByTestId(`modifier-${groupId}-${optionId}`).click();
    if (note) await this.page.getByTestId('line-note').fill(note);
    await this.page.getByTestId('modifier-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async setSeat(seat: number | null): Promise<void> {
    await this.page.getByTestId(`entry-seat-${seat ?? 'none'}`).click();
  }

  async setCourse(course: number): Promise<void> {
    await this.page.getByTestId(`entry-course-${course}`).click();
  }

  lines(): Locator {
    return this.page.getByTestId('order-line');
  }

  line(itemId: string): Locator {
    return this.page.locator(`[data-testid="order-line"][data-item-id="${itemId}"]`);
  }

  async lineAttr(itemId: string, name: string): Promise<string | null> {
    return this.line(itemId).getAttribute(`data-${name}`);
  }

  async kitchenStates(): Promise<Record<string, string>> {
    return this.lines().evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-item-id') ?? '', e.getAttribute('data-kitchen-state') ?? ''])),
    );
  }

  async plus(itemId: string): Promise<void> {
    await this.line(itemId).getByTestId('line-plus').click();
  }

  async minus(itemId: string): Promise<void> {
    await this.line(itemId).getByTestId('line-minus').click();
  }

  async openLine(itemId: string): Promise<Locator> {
    const line = this.line(itemId);
    if ((await line.getByTestId('line-details').count()) === 0) await line.getByTestId('line-open').click();
    await line.getByTestId('line-details').waitFor();
    return line;
  }

  async closeLine(itemId: string): Promise<void> {
    await this.line(itemId).getByTestId('line-close').click();
  }

  async setLineNote(itemId: string, note: string): Promise<void> {
    const line = await this.openLine(itemId);
    await line.getByTestId('line-note-edit').fill(note);
    await line.getByTestId('line-note-edit').press('Enter');
  }

  async send(): Promise<void> {
    await this.page.getByTestId('send-to-kitchen').click();
  }

  async fire(course: number): Promise<void> {
    await this.page.getByTestId(`fire-course-${course}`).click();
  }

  /** Voids a line with a preset reason (mistake, changed, quality, slow); a manager PIN when asked. */
  async voidLine(itemId: string, reason: string, managerPin?: string): Promise<void> {
    const line = await this.openLine(itemId);
    await line.getByTestId('line-void').click();
    await this.page.getByTestId(`void-reason-${reason}`).click();
    await this.page.getByTestId('void-confirm').click();
    if (managerPin) await this.approve(managerPin);
  }

  async discount(
    target: { itemId: string } | 'order',
    kind: 'percent' | 'amount',
    value: string,
    reason: string,
    managerPin?: string,
  ): Promise<void> {
    if (target === 'order') await this.page.getByTestId('order-discount').click();
    else await (await this.openLine(target.itemId)).getByTestId('line-discount').click();
    await this.page.getByTestId(`discount-kind-${kind}`).click();
    await this.page.getByTestId('discount-value').fill(value);
    await this.page.getByTestId(`discount-reason-${reason}`).click();
    await this.page.getByTestId('discount-confirm').click();
    if (managerPin) await this.approve(managerPin);
  }

  /** Types a PIN on the manager approval pad; waits for the pad to close (or an error when wrong). */
  async approve(pin: string, { expectWrong = false } = {}): Promise<void> {
    const dialog = this.page.getByTestId('approval-dialog');
    await dialog.waitFor();
    for (const digit of pin) await this.page.getByTestId(`approval-key-${digit}`).click();
    await this.page.getByTestId('approval-submit').click();
    if (expectWrong) await this.page.getByTestId('approval-error').waitFor();
    else await dialog.waitFor({ state: 'hidden' });
  }

  async totalMinor(): Promise<number> {
    return Number(await this.page.getByTestId('order-total').getAttribute('data-amount'));
  }
}
