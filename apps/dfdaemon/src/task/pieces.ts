import { DfError, ErrorCode } from "@df/errors";

/** MIB is one mebibyte. */
const MIB = 1024 * 1024;

/** MIN_PIECE_LENGTH and MAX_PIECE_LENGTH bound the automatic piece length. */
export const MIN_PIECE_LENGTH = 4 * MIB;
export const MAX_PIECE_LENGTH = 64 * MIB;
/** TARGET_PIECE_COUNT is the piece count the automatic length aims to stay under. */
export const TARGET_PIECE_COUNT = 500;

/** MIN_EXPLICIT_PIECE_LENGTH and MAX_EXPLICIT_PIECE_LENGTH bound a caller's own piece length. */
export const MIN_EXPLICIT_PIECE_LENGTH = 64 * 1024;
export const MAX_EXPLICIT_PIECE_LENGTH = 1024 * MIB;

/**
 * checkPieceLength throws InvalidArgument unless a caller's piece length is a power of two
 * between 64 KiB and 1 GiB. Small pieces are passed on sooner (a piece is shared only once it is
 * complete and verified), at the cost of more requests per byte.
 */
export function checkPieceLength(explicit: number): void {
  if (
    !Number.isInteger(explicit) ||
    explicit < MIN_EXPLICIT_PIECE_LENGTH ||
    explicit > MAX_EXPLICIT_PIECE_LENGTH ||
    (explicit & (explicit - 1)) !== 0
  ) {
    throw new DfError(
      ErrorCode.InvalidArgument,
      `piece length ${explicit} must be a power of two between 64 KiB and 1 GiB`,
    );
  }
}

/**
 * choosePieceLength picks the piece length for a content length, as Dragonfly does.
 * Formula: clamp(nextPowerOfTwo(floor(contentLength / 500)), 4 MiB, 64 MiB); a caller's
 * explicit length (checkPieceLength) wins.
 */
export function choosePieceLength(contentLength: number, explicit?: number): number {
  if (explicit) {
    checkPieceLength(explicit);
    return explicit;
  }
  const target = Math.floor(contentLength / TARGET_PIECE_COUNT);
  let p = 1;
  while (p < target) p *= 2;
  return Math.min(MAX_PIECE_LENGTH, Math.max(MIN_PIECE_LENGTH, p));
}

/** PieceSpan is a piece's place in the content. */
export interface PieceSpan {
  number: number;
  offset: number;
  length: number;
}

/** pieceCount is ceil(contentLength / pieceLength). */
export function pieceCount(contentLength: number, pieceLength: number): number {
  return Math.ceil(contentLength / pieceLength);
}

/** pieceSpan returns piece `n`: [n·P, min((n+1)·P, L)). */
export function pieceSpan(n: number, pieceLength: number, contentLength: number): PieceSpan {
  const offset = n * pieceLength;
  return { number: n, offset, length: Math.min(pieceLength, contentLength - offset) };
}

/** ByteRange is `length` bytes starting at `start`. */
export interface ByteRange {
  start: number;
  length: number;
}

/** interestedPieces lists the pieces overlapping `range` (all pieces without a range). */
export function interestedPieces(
  contentLength: number,
  pieceLength: number,
  range?: ByteRange,
): PieceSpan[] {
  const count = pieceCount(contentLength, pieceLength);
  let first = 0;
  let last = count - 1;
  if (range) {
    if (range.start < 0 || range.length <= 0 || range.start + range.length > contentLength) {
      throw new DfError(
        ErrorCode.InvalidArgument,
        `range ${range.start}+${range.length} is outside the content (length ${contentLength})`,
      );
    }
    first = Math.floor(range.start / pieceLength);
    last = Math.floor((range.start + range.length - 1) / pieceLength);
  }
  const out: PieceSpan[] = [];
  for (let n = first; n <= last; n++) out.push(pieceSpan(n, pieceLength, contentLength));
  return out;
}
