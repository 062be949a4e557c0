package dev.mmcheck.model.state;

/**
 * An outstanding GUP reference (FOLL_GET) or pin (FOLL_PIN) on a folio, as a driver, a pipe or an
 * io_uring ring holds it.
 *
 * @param owner    the process whose page tables GUP walked (and whose fd/ring holds the reference)
 * @param addr     the address GUP looked up
 * @param flags    {@link GupFlag} bits
 * @param folio    the folio it holds (may be the zeropage)
 * @param detached the owner has since unmapped, zapped or remapped {@code addr}, so the reference is no
 *                 longer promised to be coherent with its page table
 * @param label    a name from the spec ("pipe", "buf"), or 0 when exploring an operation alphabet;
 *                 index into the spec's label table
 */
public record GupRef(Pid owner, Vaddr addr, int flags, FolioId folio, boolean detached, int label)
        implements Comparable<GupRef> {

    public boolean has(GupFlag f) {
        return (flags & f.bit()) != 0;
    }

    public boolean isPin() {
        return has(GupFlag.PIN);
    }

    /** The first reference in {@code refs} that {@code owner} holds at {@code addr} with {@code flag}, or null. */
    public static GupRef find(Iterable<GupRef> refs, Pid owner, Vaddr addr, GupFlag flag) {
        for (GupRef r : refs) {
            if (r.owner().equals(owner) && r.addr().equals(addr) && r.has(flag)) return r;
        }
        return null;
    }

    public GupRef detach() {
        return detached ? this : new GupRef(owner, addr, flags, folio, true, label);
    }

    /**
     * The references the target holds for this one: FOLL_GET 1; FOLL_PIN the release's bias (1024 from v5.7, 1
     * before) on a small folio, 1 on a large one (which counts the pin in its _pincount instead); on the zeropage,
     * nothing for a FOLL_PIN from v6.5 (c8070b787519).
     */
    public int refcountContribution(int pinBias, boolean zeropagePinned, boolean large) {
        if (!isPin()) return 1;
        if (folio.isZero() && !zeropagePinned) return 0;
        return large ? 1 : pinBias;
    }

    /** What this reference adds to a large folio's _pincount: 1 for a FOLL_PIN where pins are counted (v5.7+). */
    public int pincountContribution(int pinBias, boolean large) {
        return large && isPin() && pinBias > 1 ? 1 : 0;
    }

    @Override
    public int compareTo(GupRef o) {
        int c = owner.compareTo(o.owner);
        if (c == 0) c = Integer.compare(label, o.label);
        if (c == 0) c = addr.compareTo(o.addr);
        if (c == 0) c = Integer.compare(flags, o.flags);
        if (c == 0) c = folio.compareTo(o.folio);
        if (c == 0) c = Boolean.compare(detached, o.detached);
        return c;
    }

    public String flagsString() {
        StringBuilder b = new StringBuilder(isPin() ? "FOLL_PIN" : "FOLL_GET");
        if (has(GupFlag.WRITE)) b.append("|FOLL_WRITE");
        if (has(GupFlag.LONGTERM)) b.append("|FOLL_LONGTERM");
        if (has(GupFlag.FAST_WALK)) b.append(" (GUP-fast)");
        else if (has(GupFlag.FAST)) b.append(" (fast, slow path)");
        return b.toString();
    }
}
