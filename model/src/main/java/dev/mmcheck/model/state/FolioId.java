package dev.mmcheck.model.state;

/**
 * Names a folio: a slot in {@link MmState#folios()}, or {@link #ZERO} for the shared zeropage, which the
 * model does not keep in that list (its counts are not tracked: see {@link MmState}).
 */
public record FolioId(int index) implements Comparable<FolioId> {
    public static final FolioId ZERO = new FolioId(-1);

    public boolean isZero() {
        return index == -1;
    }

    @Override
    public int compareTo(FolioId o) {
        return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return isZero() ? "zeropage" : "folio#" + index;
    }
}
