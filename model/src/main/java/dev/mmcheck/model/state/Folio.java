package dev.mmcheck.model.state;

/**
 * A folio slot: a small (order-0) folio, or one subpage of a large folio. A large folio (a THP or a hugetlb
 * folio) has an abstract order of 1: two subpages in adjacent slots, the head and one tail that stands for the
 * 511 others. Two are enough because every rule the kernel applies to a subpage asks either about that subpage
 * (its PG_anon_exclusive, its PTE mapcount, its swap entry) or about the folio as a whole (refcount, pincount,
 * entire mapcount, "some other subpage is mapped or shared"), and with one other subpage each of those can be true
 * or false independently of the faulting one.
 *
 * <p>Folio-wide counts live in the head's slot: {@code refcount}, {@code pincount} (the kernel's {@code _pincount},
 * v5.7+: a FOLL_PIN on a large folio adds 1 to both; on a small folio it adds {@link #GUP_PIN_COUNTING_BIAS} to
 * the refcount) and {@code entireMapcount} (PMD mappings). Each subpage slot keeps its own flags (PG_anon_exclusive
 * is per subpage; PG_swapcache is set on both), its own PTE mapcount, data and swap slot.
 *
 * @param refcount  folio_ref_count(): one per mapping PTE, one for the swap cache, one for the page
 *                  cache, one per FOLL_GET and GUP_PIN_COUNTING_BIAS per FOLL_PIN. Transient references
 *                  (LRU batches, KSM's scan, isolation) are abstracted away: the model behaves as if
 *                  lru_add_drain() had always run.
 * @param mapcount  folio_mapcount(): the number of PTEs mapping it
 * @param swapSlot  the swap slot it caches when {@link FolioFlag#SWAPCACHE} is set, else -1
 * @param fileIndex for a pagecache folio, the file page it caches, else -1
 */
public record Folio(FolioKind kind, int flags, int refcount, int mapcount, Data data, int swapSlot, int fileIndex, Part part,
                    int pincount, int entireMapcount) {
    /** Which part of a folio a slot is. */
    public enum Part {
        SMALL, HEAD, TAIL, HUGETLB_HEAD, HUGETLB_TAIL;

        public boolean large() {
            return this != SMALL;
        }

        public boolean head() {
            return this == HEAD || this == HUGETLB_HEAD;
        }

        public boolean tail() {
            return this == TAIL || this == HUGETLB_TAIL;
        }

        public boolean hugetlb() {
            return this == HUGETLB_HEAD || this == HUGETLB_TAIL;
        }
    }

    /** Subpages of a large folio in the model (abstract order 1). */
    public static final int NR_SUBPAGES = 2;

    public Folio(FolioKind kind, int flags, int refcount, int mapcount, Data data, int swapSlot, int fileIndex) {
        this(kind, flags, refcount, mapcount, data, swapSlot, fileIndex, Part.SMALL, 0, 0);
    }

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
        return new Folio(kind, flags | f.bit(), refcount, mapcount, data, swapSlot, fileIndex, part, pincount, entireMapcount);
    }

    public Folio without(FolioFlag f) {
        return new Folio(kind, flags & ~f.bit(), refcount, mapcount, data, swapSlot, fileIndex, part, pincount, entireMapcount);
    }

    public Folio withRefcount(int r) {
        return new Folio(kind, flags, r, mapcount, data, swapSlot, fileIndex, part, pincount, entireMapcount);
    }

    public Folio withMapcount(int m) {
        return new Folio(kind, flags, refcount, m, data, swapSlot, fileIndex, part, pincount, entireMapcount);
    }

    public Folio withData(Data d) {
        return new Folio(kind, flags, refcount, mapcount, d, swapSlot, fileIndex, part, pincount, entireMapcount);
    }

    public Folio withSwapSlot(int slot) {
        return new Folio(kind, flags, refcount, mapcount, data, slot, fileIndex, part, pincount, entireMapcount);
    }

    public Folio withPart(Part p) {
        return new Folio(kind, flags, refcount, mapcount, data, swapSlot, fileIndex, p, pincount, entireMapcount);
    }

    public Folio withPincount(int n) {
        return new Folio(kind, flags, refcount, mapcount, data, swapSlot, fileIndex, part, n, entireMapcount);
    }

    public Folio withEntireMapcount(int n) {
        return new Folio(kind, flags, refcount, mapcount, data, swapSlot, fileIndex, part, pincount, n);
    }

    /**
     * folio_maybe_dma_pinned() of the folio whose head (or small folio) this is: a large folio's exact
     * {@code _pincount} > 0 (v5.7+); a small folio's refcount >= GUP_PIN_COUNTING_BIAS (false positives possible).
     */
    public boolean maybeDmaPinned() {
        return part.large() ? pincount > 0 : refcount >= GUP_PIN_COUNTING_BIAS;
    }

    @Override
    public String toString() {
        if (isFree()) return "free";
        StringBuilder b = new StringBuilder(kind == FolioKind.ANON ? "anon" : kind.name().toLowerCase(java.util.Locale.ROOT));
        if (part != Part.SMALL) b.append(part.hugetlb() ? " hugetlb" : " large").append(part.head() ? " head" : " tail");
        for (FolioFlag f : FolioFlag.values()) {
            if (has(f)) b.append(' ').append(f);
        }
        if (!part.tail()) b.append(" ref ").append(refcount);
        if (part.head()) b.append(" entire ").append(entireMapcount).append(" pins ").append(pincount);
        b.append(" map ").append(mapcount).append(" data ").append(data);
        if (swapSlot >= 0) b.append(" swap#").append(swapSlot);
        return b.toString();
    }
}
