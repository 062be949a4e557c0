package dev.mmcheck.model.state;

/**
 * What a page holds: a small user-visible {@code value} plus its provenance, so that a leak between
 * processes is observable in a single state.
 *
 * <p>{@code writer} is the process whose store (through its page table or through a GUP reference it
 * owns) produced the value, or -1 for content that predates every process or was produced by KSM.
 * {@code witnesses} is the set of other processes alive at the time of the store (a bitmask of
 * process slots). A process Q that can see the data through a private mapping or its own GUP reference
 * while Q is in {@code witnesses} observes a store another process made after they separated: a leak.
 * A process forked after the store is not a witness: it inherited the data. When a process exits its
 * slot is removed from every witness set, so a later process in the same slot is not confused with it.
 */
public record Data(int value, int writer, int witnesses) {
    public static final Data INITIAL = new Data(0, -1, 0);

    public Data {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("page values are bytes, got " + value);
        }
    }

    public static Data storeBy(int value, Pid writer, int aliveMask) {
        return new Data(value, writer.index(), aliveMask & ~(1 << writer.index()));
    }

    public boolean leaksTo(Pid observer) {
        return writer != observer.index() && (witnesses & (1 << observer.index())) != 0;
    }

    public Data forgetProcess(Pid gone) {
        int w = witnesses & ~(1 << gone.index());
        return w == witnesses ? this : new Data(value, writer, w);
    }

    /** KSM merges pages of equal content; the merged page has no single writer. */
    public Data merged() {
        return new Data(value, -1, 0);
    }

    /** This data with process slot i renamed to {@code to[i]} (writer and witnesses): for symmetry reduction. */
    public Data renamed(int[] to) {
        if (writer < 0 && witnesses == 0) return this;
        return new Data(value, writer < 0 ? writer : to[writer], renamedWitnesses(to));
    }

    private int renamedWitnesses(int[] to) {
        int w = 0;
        for (int i = 0; i < to.length; i++) {
            if ((witnesses & (1 << i)) != 0) w |= 1 << to[i];
        }
        return w;
    }

    public int encode() {
        return value | ((writer + 1) << 8) | (witnesses << 12);
    }

    /** {@code renamed(to).encode()} without building the renamed data (null: the identity). */
    public int encode(int[] to) {
        if (to == null || (writer < 0 && witnesses == 0)) return encode();
        return value | ((writer < 0 ? 0 : to[writer] + 1) << 8) | (renamedWitnesses(to) << 12);
    }

    /** The data {@link #encode} wrote as {@code w}. */
    public static Data decoded(int w) {
        int value = w & 0xff;
        int writer = ((w >>> 8) & 15) - 1;
        int witnesses = w >>> 12;
        return value == 0 && writer == -1 && witnesses == 0 ? INITIAL : new Data(value, writer, witnesses);
    }

    @Override
    public String toString() {
        String v = String.format("0x%02x", value);
        return writer < 0 ? v : v + " (stored by P" + writer + ")";
    }
}
