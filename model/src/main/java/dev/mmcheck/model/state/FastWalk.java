package dev.mmcheck.model.state;

/**
 * A GUP-fast walk of this mm in flight, split into its steps (a spec's {@code pin PAGE fast steps}): the lockless walk
 * of mm/gup.c (gup_pte_range(), gup_fast_pte_range() from v6.9) runs with interrupts off but takes no lock, so other
 * CPUs change the page tables between its reads. Step 1 reads the PTE ({@code seen}); step 2 grabs the page, re-reads
 * the PTE and, for FOLL_PIN from v5.11, re-checks mm->write_protect_seq; a walk that bails out falls back to the slow
 * path, which needs mmap_lock ({@code slow}: it waits while a fork holds it for write).
 *
 * @param addr       the page
 * @param flags      the request's {@link GupFlag} bits
 * @param label      the reference's spec label (0 for none)
 * @param seen       the PTE step 1 read (null once the walk fell back to the slow path)
 * @param seqChanged a fork began on this mm since step 1 read write_protect_seq (read_seqcount_retry() would say so)
 */
public record FastWalk(Vaddr addr, int flags, int label, Pte seen, boolean seqChanged) {
    /** No walk in flight (the only one with {@code addr} null). */
    public static final FastWalk NONE = new FastWalk(null, 0, 0, null, false);

    public boolean active() {
        return addr != null;
    }

    /** The walk bailed out and waits to run the slow path under mmap_lock. */
    public boolean slow() {
        return active() && seen == null;
    }

    public FastWalk withSeqChanged() {
        return new FastWalk(addr, flags, label, seen, true);
    }

    public FastWalk toSlowPath() {
        return new FastWalk(addr, flags, label, null, false);
    }

    /** One word (the seen PTE is encoded after it, with the state's folio numbering). */
    public int encoded() {
        return addr.index() | (flags << 4) | (label << 16) | (seen == null ? 1 << 28 : 0) | (seqChanged ? 1 << 29 : 0);
    }
}
