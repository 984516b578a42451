export interface FileFacts {
  size: number;
  sha256: string;
  /** Every byte sequence is valid UTF-8. */
  utf8: boolean;
  /** Starts with a UTF-8 byte order mark. */
  bom: boolean;
}
/** A file's size, SHA-256, UTF-8 validity and byte order mark, in one synchronous pass. */
export function factsOf(path: string): FileFacts;
