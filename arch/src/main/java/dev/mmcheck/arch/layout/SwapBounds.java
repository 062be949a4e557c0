package dev.mmcheck.arch.layout;

/**
 * The swap entries the kernel can produce for a swap file on one arch, evaluated from its layout: a type below
 * MAX_SWAPFILES (include/linux/swap.h) and a slot 1..maxpages - 1, where maxpages, the size of a swap area, is at most
 * min(max_swapfile_size(), UINT_MAX) (mm/swapfile.c: read_swap_header(); slot 0 holds the swap header).
 *
 * @param maxSwapfiles            MAX_SWAPFILES: swap-file types are 0..MAX_SWAPFILES - 1
 * @param genericMaxSwapfileSize  generic_max_swapfile_size(): the offsets the arch's swap PTE can hold, plus one
 * @param archMaxSwapfileSize     arch_max_swapfile_size() (max_swapfile_size() in v6.0-rc1 and before; renamed by v6.1.20):
 *                                the largest value any boot of the arch gets (on x86_64 the L1TF limit can only
 *                                lower it)
 * @param swapAreaMaxPages        the largest maxpages read_swap_header() returns: min(archMaxSwapfileSize, UINT_MAX)
 * @param l1tf                    whether the layout models x86's L1TF limit (l1tf_max_swapfile_size)
 */
public record SwapBounds(long maxSwapfiles, long genericMaxSwapfileSize, long archMaxSwapfileSize, long swapAreaMaxPages,
                         boolean l1tf) {

    public static SwapBounds of(Layout l) {
        return new SwapBounds(l.value("MAX_SWAPFILES"), l.value("generic_max_swapfile_size"), l.value("arch_max_swapfile_size"),
                l.value("swap_area_max_pages"), l.defs().containsKey("l1tf_max_swapfile_size"));
    }

    /** The largest slot of a swap area the kernel can set up. */
    public long maxOffset() {
        return swapAreaMaxPages - 1;
    }

    /** The largest offset max_swapfile_size() alone admits (what the checks probe beyond the kernel's bounds). */
    public long admittedMaxOffset() {
        return archMaxSwapfileSize - 1;
    }

    /** The domain in a few words. */
    public String brief() {
        return String.format("types 0..%d, offsets 1..0x%x", maxSwapfiles - 1, maxOffset());
    }

    /**
     * Why an offset above {@link #maxOffset()} that max_swapfile_size() admits is out of reach, with the size of the swap
     * area whose last page it would be.
     */
    public String unreachable(long offset, long pageShift) {
        return String.format("offset 0x%x, the last page of a %s swap area, is one max_swapfile_size() (0x%x) admits but no swap "
                + "area reaches: read_swap_header() caps a swap area at UINT_MAX pages", offset, size(offset + 1, pageShift), archMaxSwapfileSize);
    }

    private static String size(long pages, long pageShift) {
        java.math.BigInteger bytes = java.math.BigInteger.valueOf(pages).shiftLeft((int) pageShift);
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB"};
        int u = 0;
        while (u < units.length - 1 && bytes.signum() > 0 && bytes.getLowestSetBit() >= 10) {
            bytes = bytes.shiftRight(10);
            u++;
        }
        return bytes + " " + units[u];
    }

    /** One line: the domain and where each bound comes from. */
    public String describe() {
        return String.format("types 0..%d (MAX_SWAPFILES %d), offsets 1..0x%x: a swap area has at most min(max_swapfile_size() "
                        + "0x%x%s, UINT_MAX) pages (mm/swapfile.c read_swap_header()) and slot 0 holds its header",
                maxSwapfiles - 1, maxSwapfiles, maxOffset(), archMaxSwapfileSize,
                l1tf ? " without X86_BUG_L1TF, less with the L1TF mitigation" : "");
    }
}
