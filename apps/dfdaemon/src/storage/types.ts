/** TaskMeta is a task's durable metadata, written atomically when the download starts. */
export interface TaskMeta {
  id: string;
  url: string;
  tag: string;
  application: string;
  filteredQueryParams: string[];
  pieceLength: number;
  contentLength: number;
  /** responseHeader are the origin's headers from the length probe (content-type and such). */
  responseHeader: Record<string, string>;
  /**
   * rangeable is false for an origin that ignores Range (its pieces come from one stream of the
   * whole body); absent means true, as in metadata written before the field existed.
   */
  rangeable?: boolean;
  createdAt: number;
  /** accessedAt is the last download, upload or stat; GC evicts by it. */
  accessedAt: number;
  finishedAt?: number;
}

/** PieceMeta is one finished piece as recorded in the journal. */
export interface PieceMeta {
  number: number;
  offset: number;
  length: number;
  /** digest is `crc32:<decimal>` of the piece's bytes. */
  digest: string;
  /** parentId is the peer the piece came from; absent when it came from the source. */
  parentId?: string;
  finishedAt: number;
}
