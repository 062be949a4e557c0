package dev.mmcheck.model.state;

/**
 * The shared zeropage's counts above what it has from boot: references GUP and insert_page() took on it, and file
 * rmaps insert_page() added. The model tracks them because releases differ in who takes them (GUP before v6.5,
 * insert_page() before v6.11) and because an unbalanced map/unmap (seed 000) leaks references.
 */
public record ZeropageCounts(int refcount, int mapcount) {
    public static final ZeropageCounts NONE = new ZeropageCounts(0, 0);

    @Override
    public String toString() {
        return "zeropage ref +" + refcount + " map +" + mapcount;
    }
}
