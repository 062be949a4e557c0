package dev.mmcheck.model.state;

/** A swap slot (swp_entry_t offset on one swap device). */
public record SwapSlot(int index) implements Comparable<SwapSlot> {
    @Override
    public int compareTo(SwapSlot o) {
        return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "swap#" + index;
    }
}
