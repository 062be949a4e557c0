package dev.mmcheck.model.plugin;

/**
 * What a rule may look at about the page it decides for, in the state the kernel sees at that point. Counts are the
 * folio's (the whole large folio's for refcount; the page's own PTE mapcount for {@link #mapcount()}).
 */
public interface PageView {
    /** PageAnon(). False for the zeropage, page-cache pages and pages without a struct page. */
    boolean anon();

    /** PageKsm(). */
    boolean ksm();

    /** PageAnonExclusive() of this page (always false where the release does not track it). */
    boolean anonExclusive();

    /** folio_test_large(). */
    boolean large();

    /** folio_maybe_mapped_shared(): some other MM maps the folio (or a page of it). */
    boolean mappedByOtherMm();

    /** folio_test_swapcache(). */
    boolean swapcache();

    /** folio_ref_count(). */
    int refcount();

    /** page_mapcount() of this page (PTE mappings). */
    int mapcount();

    /** folio_maybe_dma_pinned(). */
    boolean maybeDmaPinned();

    /** MMF_HAS_PINNED of the MM the rule runs for (the parent's at fork). */
    boolean mmHasPinned();

    /** pte_dirty() of the PTE the rule looks at. */
    boolean pteDirty();
}
