package dev.mmcheck.model.state;

/**
 * A collapse of this mm between its steps (a spec's {@code collapse PAGE steps}): collapse_huge_page() holds mmap_lock
 * for write, has cleared the PMD with pmdp_collapse_flush() and found the pages' references suitable
 * (__collapse_huge_page_isolate()); the copy into the new THP and the PMD that maps it are its next step. The PTEs
 * stay in the detached page table, unchanged, which is what a GUP-fast walk that read them before the flush re-reads.
 *
 * @param base the first page of the range
 */
public record CollapseStep(Vaddr base) {
    /** No collapse in flight. */
    public static final CollapseStep NONE = new CollapseStep(null);

    public boolean active() {
        return base != null;
    }

    /** The range holds {@code a}. */
    public boolean covers(Vaddr a) {
        return active() && a.index() / 2 == base.index() / 2;
    }
}
