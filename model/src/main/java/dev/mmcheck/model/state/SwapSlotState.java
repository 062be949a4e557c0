package dev.mmcheck.model.state;

/**
 * One swap slot (mm/swapfile.c swap_map entry).
 *
 * @param swapCount the number of swap PTEs that reference the slot (swap_count(), without SWAP_HAS_CACHE)
 * @param data      what was written out to the slot
 * @param cache     the swapcache folio for the slot, or -1 (SWAP_HAS_CACHE)
 */
public record SwapSlotState(int swapCount, Data data, int cache) {
    public static final SwapSlotState FREE = new SwapSlotState(0, Data.INITIAL, -1);

    public boolean isFree() {
        return swapCount == 0 && cache < 0;
    }

    public SwapSlotState withSwapCount(int c) {
        return new SwapSlotState(c, data, cache);
    }

    public SwapSlotState withCache(int folio) {
        return new SwapSlotState(swapCount, data, folio);
    }

    public SwapSlotState withData(Data d) {
        return new SwapSlotState(swapCount, d, cache);
    }

    @Override
    public String toString() {
        return isFree() ? "free" : "swapcount " + swapCount + " data " + data + (cache >= 0 ? " cached in folio#" + cache : "");
    }
}
