package dev.mmcheck.model.state;

/**
 * A device driver that mirrors one page of this process with hmm_range_fault() and no pin, the pattern of
 * Documentation/mm/hmm.rst: mmu_interval_read_begin(), hmm_range_fault() (which faults the page in), then under the
 * driver's update lock mmu_interval_read_retry() and only then the device page table; the interval notifier's
 * invalidate callback takes the same lock, bumps the sequence and clears the device entry.
 *
 * @param addr     the page
 * @param faulting hmm_range_fault() has returned {@code seen} and the driver has not yet taken its lock
 * @param write    the driver asked for write access (HMM_PFN_REQ_WRITE)
 * @param seen     the page hmm_range_fault() returned (while faulting), or the page the device maps (while mapped)
 * @param mapped   the device page table maps {@code seen}
 * @param stale    an invalidation reached the notifier since mmu_interval_read_begin()
 */
public record HmmMirror(Vaddr addr, boolean faulting, boolean write, FolioId seen, boolean mapped, boolean stale) {
    /** No mirror (the only one with {@code addr} null). */
    public static final HmmMirror NONE = new HmmMirror(null, false, false, null, false, false);

    public boolean exists() {
        return addr != null;
    }

    public static HmmMirror create(Vaddr addr) {
        return new HmmMirror(addr, false, false, null, false, false);
    }

    public HmmMirror faulted(boolean w, FolioId page) {
        return new HmmMirror(addr, true, w, page, false, false);
    }

    public HmmMirror programmed() {
        return new HmmMirror(addr, false, write, seen, true, stale);
    }

    /** The notifier's callback ran: the sequence moved and the device entry is gone. */
    public HmmMirror invalidated() {
        return new HmmMirror(addr, faulting, write, faulting ? seen : null, false, true);
    }

    /** Back to mmu_interval_read_begin() (the -EBUSY retry). */
    public HmmMirror restarted() {
        return new HmmMirror(addr, false, false, null, false, false);
    }

    /** One word (the page follows, by the state's folio numbering). */
    public int encoded() {
        return addr.index() | (faulting ? 1 << 4 : 0) | (write ? 1 << 5 : 0) | (mapped ? 1 << 6 : 0) | (stale ? 1 << 7 : 0)
                | (seen != null ? 1 << 8 : 0);
    }
}
