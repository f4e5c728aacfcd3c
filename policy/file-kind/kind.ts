// What every part of file-kind detection answers: a kind, its MIME type and its policy category.

import type { Category } from "../file-category";

/** A detected file: what its bytes (and, only ever stricter, its name) say it is. */
export interface FileKind {
  /** A short name, usually the format's extension: `png`, `docx`, `html`, `ps1`, `unknown`. */
  kind: string;
  mime: string;
  category: Category;
}
