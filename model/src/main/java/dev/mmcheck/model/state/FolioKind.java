package dev.mmcheck.model.state;

/** What a folio slot holds. */
public enum FolioKind {
    /** The slot is free. */
    FREE,
    /** An anonymous folio (PageAnon()), including KSM folios. */
    ANON,
    /** A pagecache folio of the one file the model maps; it holds one reference for the page cache. */
    PAGECACHE
}
