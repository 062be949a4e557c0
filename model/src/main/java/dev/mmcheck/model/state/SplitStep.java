package dev.mmcheck.model.state;

/**
 * A PMD split of this mm between its steps (a spec's {@code mprotect PAGE ro steps} on part of a PMD-mapped THP):
 * __split_huge_pmd_locked() has installed the PTEs and raised each subpage's mapcount, but not yet dropped the compound
 * (entire) mapcount of the PMD mapping, so a reader of both counts can see the mapping counted in neither. The model
 * keeps the PMD until the second step (nothing else looks at this process's range in between).
 *
 * @param base the first page of the range
 */
public record SplitStep(Vaddr base) {
    /** No split in flight. */
    public static final SplitStep NONE = new SplitStep(null);

    public boolean active() {
        return base != null;
    }

    public boolean covers(Vaddr a) {
        return active() && a.index() / 2 == base.index() / 2;
    }
}
