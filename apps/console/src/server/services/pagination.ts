/** PageQuery selects one page of a list. */
export interface PageQuery {
  page: number;
  perPage: number;
}

/** Page is one page of a list plus the total number of matching rows. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

/** offsetOf is the number of rows before the page. */
export const offsetOf = (q: PageQuery): number => (q.page - 1) * q.perPage;

/** pageOf assembles a Page from the rows of the page and the total count. */
export const pageOf = <T>(items: T[], total: number, q: PageQuery): Page<T> => ({
  items,
  total,
  page: q.page,
  perPage: q.perPage,
});
