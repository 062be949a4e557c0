package dev.mmcheck.model.state;

/**
 * A small (order-0) folio. Large folios (THP, mTHP, hugetlb) are not modelled yet, so the kernel's
 * separate {@code _pincount} does not exist here: as in the kernel for small folios, a FOLL_PIN adds
 * {@link #GUP_PIN_COUNTING_BIAS} to {@code refcount} and folio_maybe_dma_pinned() reads the refcount.
 *
 * @param refcount  folio_ref_count(): one per mapping PTE, one for the swap cache, one for the page
 *                  cache, one per FOLL_GET and GUP_PIN_COUNTING_BIAS per FOLL_PIN. Transient references
 *                  (LRU batches, KSM's scan, isolation) are abstracted away: the model behaves as if
 *                  lru_add_drain() had always run.
 * @param mapcount  folio_mapcount(): the number of PTEs mapping it
 * @param swapSlot  the swap slot it caches when {@link FolioFlag#SWAPCACHE} is set, else -1
 * @param fileIndex for a pagecache folio, the file page it caches, else -1
 */
public record Folio(FolioKind kind, int flags, int refcount, int mapcount, Data data, int swapSlot, int fileIndex) {
    /** include/linux/mm.h: GUP_PIN_COUNTING_BIAS (1U << 10). */
    public static final int GUP_PIN_COUNTING_BIAS = 1024;

    public static final Folio FREE = new Folio(FolioKind.FREE, 0, 0, 0, Data.INITIAL, -1, -1);

    public static Folio newAnon(Data data) {
        return new Folio(FolioKind.ANON, 0, 0, 0, data, -1, -1);
    }

    public static Folio pagecache(int fileIndex, Data data) {
        return new Folio(FolioKind.PAGECACHE, 0, 1, 0, data, -1, fileIndex);
    }

    public boolean isFree() {
        return kind == FolioKind.FREE;
    }

    public boolean isAnon() {
        return kind == FolioKind.ANON;
    }

    public boolean has(FolioFlag f) {
        return (flags & f.bit()) != 0;
    }

    public Folio with(FolioFlag f) {
        return new Folio(kind, flags | f.bit(), refcount, mapcount, data, swapSlot, fileIndex);
    }

    public Folio without(FolioFlag f) {
        return new Folio(kind, flags & ~f.bit(), refcount, mapcount, data, swapSlot, fileIndex);
    }

    public Folio withRefcount(int r) {
        return new Folio(kind, flags, r, mapcount, data, swapSlot, fileIndex);
    }

    public Folio withMapcount(int m) {
        return new Folio(kind, flags, refcount, m, data, swapSlot, fileIndex);
    }

    public Folio withData(Data d) {
        return new Folio(kind, flags, refcount, mapcount, d, swapSlot, fileIndex);
    }

    public Folio withSwapSlot(int slot) {
        return new Folio(kind, flags, refcount, mapcount, data, slot, fileIndex);
    }

    /** folio_maybe_dma_pinned() for a small folio: refcount >= GUP_PIN_COUNTING_BIAS (false positives possible). */
    public boolean maybeDmaPinned() {
        return refcount >= GUP_PIN_COUNTING_BIAS;
    }

    @Override
    public String toString() {
        if (isFree()) return "free";
        StringBuilder b = new StringBuilder(kind == FolioKind.ANON ? "anon" : "pagecache");
        for (FolioFlag f : FolioFlag.values()) {
            if (has(f)) b.append(' ').append(f);
        }
        b.append(" ref ").append(refcount).append(" map ").append(mapcount).append(" data ").append(data);
        if (swapSlot >= 0) b.append(" swap#").append(swapSlot);
        return b.toString();
    }
}
