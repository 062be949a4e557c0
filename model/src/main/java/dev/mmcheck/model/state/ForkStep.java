package dev.mmcheck.model.state;

/**
 * A fork() of this mm between its steps (a spec's {@code fork P<n> steps}): dup_mmap() holds mmap_lock for write
 * and, from v5.11, write_protect_seq odd (raw_write_seqcount_begin() in copy_page_range()). Step 1 runs
 * copy_present_pte()'s page_maybe_dma_pinned() check for every present PTE; step 2 acts on it (a copy for the child,
 * or ptep_set_wrprotect() and a shared page), ends the seqcount and releases mmap_lock. The kernel does the check and
 * the write-protect of one PTE under its page-table lock, but GUP-fast takes no lock: a pin taken between the two is
 * the race of 57efa1fe5957.
 *
 * @param child the slot the child gets
 * @param copy  bit i: the check at page i said "maybe pinned": the child gets its own copy
 */
public record ForkStep(Pid child, int copy) {
    /** No fork in flight (the only one with {@code child} null). */
    public static final ForkStep NONE = new ForkStep(null, 0);

    public boolean active() {
        return child != null;
    }

    public boolean copies(Vaddr a) {
        return (copy & (1 << a.index())) != 0;
    }

    /** One word. */
    public int encoded() {
        return child.index() | (copy << 4);
    }

    /** The fork {@link #encoded} wrote as {@code w}. */
    public static ForkStep decoded(int w) {
        return new ForkStep(new Pid(w & 15), w >>> 4);
    }
}
