package dev.mmcheck.model.state;

/**
 * A write fault of this mm on a R/O PMD-mapped THP between its steps (a spec's {@code write PAGE VALUE steps}):
 * do_huge_pmd_wp_page() holds the page lock and reuse_swap_page() (page_trans_huge_map_swapcount()) has read the
 * subpages' mapcounts but not yet the compound (entire) mapcount; nothing serialises that read against a PMD split in
 * another process before c444eb564fb1 (v5.8).
 *
 * @param addr the page
 * @param most the largest subpage mapcount (plus swapcount) the first read saw
 */
public record ReuseStep(Vaddr addr, int most) {
    /** No fault in flight. */
    public static final ReuseStep NONE = new ReuseStep(null, 0);

    public boolean active() {
        return addr != null;
    }

    /** One word. */
    public int encoded() {
        return addr.index() | (most << 4);
    }

    /** The fault {@link #encoded} wrote as {@code w}. */
    public static ReuseStep decoded(int w) {
        return new ReuseStep(new Vaddr(w & 15), w >>> 4);
    }
}
