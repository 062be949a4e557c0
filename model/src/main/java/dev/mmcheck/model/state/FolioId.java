package dev.mmcheck.model.state;

/**
 * Names a folio: a slot in {@link MmState#folios()}, or {@link #ZERO} for the shared zeropage, which the
 * model does not keep in that list (its counts are not tracked: see {@link MmState}).
 */
public record FolioId(int index) implements Comparable<FolioId> {
    public static final FolioId ZERO = new FolioId(-1);
    /** The huge zeropage (mm/huge_memory.c: huge_zero_folio), mapped by a PMD; its per-mm references are not tracked. */
    public static final FolioId HUGE_ZERO = new FolioId(-2);

    public boolean isZero() {
        return index == -1;
    }

    public boolean isHugeZero() {
        return index == -2;
    }

    /** The shared zeropage or the huge zeropage: no folio slot, reads as zeros. */
    public boolean isAnyZero() {
        return index < 0;
    }

    @Override
    public int compareTo(FolioId o) {
        return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return isZero() ? "zeropage" : isHugeZero() ? "huge zeropage" : "folio#" + index;
    }
}
