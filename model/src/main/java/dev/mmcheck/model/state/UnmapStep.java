package dev.mmcheck.model.state;

/**
 * A reclaim of the page mapped at {@code addr} of this mm between its steps (a spec's {@code reclaim PAGE steps}):
 * try_to_unmap_one() holds the page-table lock, and its clear of the PTE (ptep_clear_flush()) and its check that the
 * page is not maybe pinned (page_try_share_anon_rmap(), v5.19+; folio_maybe_dma_pinned() before) are apart. From
 * v6.1 (088b8aa537c2) an smp_mb() orders the clear before the check; before, on weakly ordered CPUs, the check could
 * read the pin count before the cleared PTE was visible to a GUP-fast walker, which the model takes as the check
 * running first.
 *
 * @param addr       the page
 * @param cleared    the PTE is cleared (v6.1+ order: the check is the next step); GUP-fast walkers read it as none,
 *                   the rest of the model still sees it (nothing else runs until the unmap's next step)
 * @param sawPinned  the check ran first (before v6.1) and found the page maybe pinned (for KSM: its reference check
 *                   failed)
 * @param ksm        KSM's write_protect_page() (a {@code ksm-merge ... steps}), not reclaim's try_to_unmap_one()
 * @param migrate    migration's try_to_migrate_one() (a {@code migrate-start ... steps})
 */
public record UnmapStep(Vaddr addr, boolean cleared, boolean sawPinned, boolean ksm, boolean migrate) {
    /** No unmap in flight. */
    public static final UnmapStep NONE = new UnmapStep(null, false, false, false, false);

    public UnmapStep(Vaddr addr, boolean cleared, boolean sawPinned) {
        this(addr, cleared, sawPinned, false, false);
    }

    public UnmapStep(Vaddr addr, boolean cleared, boolean sawPinned, boolean ksm) {
        this(addr, cleared, sawPinned, ksm, false);
    }

    /** Reclaim's try_to_unmap_one(). */
    public boolean reclaim() {
        return !ksm && !migrate;
    }

    public boolean active() {
        return addr != null;
    }

    /** One word. */
    public int encoded() {
        return addr.index() | (cleared ? 1 << 4 : 0) | (sawPinned ? 1 << 5 : 0) | (ksm ? 1 << 6 : 0) | (migrate ? 1 << 7 : 0);
    }
}
