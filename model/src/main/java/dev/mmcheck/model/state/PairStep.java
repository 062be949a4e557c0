package dev.mmcheck.model.state;

/**
 * An operation on the aligned pair of pages of one PMD between its steps: a collapse (a spec's {@code collapse PAGE
 * steps}: collapse_huge_page() holds mmap_lock for write, has cleared the PMD with pmdp_collapse_flush() and counted
 * the references; the PTEs stay unchanged in the detached table until the copy) or a PMD split ({@code mprotect PAGE
 * ro|rw steps}: __split_huge_pmd_locked() has raised the subpage mapcounts but not yet dropped the compound one; the
 * model keeps the PMD until then). Which one it is, is the field of {@link Process.Extras} that holds it.
 *
 * @param base the first page of the range
 */
public record PairStep(Vaddr base) {
    /** Nothing in flight. */
    public static final PairStep NONE = new PairStep(null);

    public boolean active() {
        return base != null;
    }

    /** The range holds {@code a}. */
    public boolean covers(Vaddr a) {
        return active() && a.index() / 2 == base.index() / 2;
    }
}
