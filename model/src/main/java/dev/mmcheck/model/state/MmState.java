package dev.mmcheck.model.state;

import com.google.common.collect.ImmutableList;
import java.util.function.IntConsumer;

/**
 * The whole abstract machine at one instant: processes with their page tables, the folios they map,
 * the swap slots and the outstanding GUP references. Immutable; the rules build successors through
 * {@link dev.mmcheck.model.rules.Kernel}. No search bookkeeping lives here.
 *
 * <p>The shared zeropage is not in {@link #folios()}: PTEs and references name it by
 * {@link FolioId#ZERO} and its counts are not tracked (from v6.5 pinning it does not touch them at all,
 * commit c8070b787519; before that its refcount only matters for overflow, which is a question about
 * counter widths, not interleavings).
 */
public record MmState(ImmutableList<Process> processes, ImmutableList<Folio> folios,
                      ImmutableList<SwapSlotState> swap, ImmutableList<GupRef> refs) {
    public static final int MAX_PROCESSES = 4;
    public static final int MAX_PAGES = 4;

    /** {@code processes} slots of which only P0 is alive, with {@code pages} unmapped virtual pages each. */
    public static MmState initial(int processes, int pages) {
        if (processes < 1 || processes > MAX_PROCESSES) {
            throw new IllegalArgumentException("processes must be 1.." + MAX_PROCESSES + ", got " + processes);
        }
        if (pages < 1 || pages > MAX_PAGES) {
            throw new IllegalArgumentException("pages must be 1.." + MAX_PAGES + ", got " + pages);
        }
        ImmutableList.Builder<Process> ps = ImmutableList.builder();
        for (int i = 0; i < processes; i++) {
            Process dead = Process.dead(pages);
            ps.add(i == 0 ? new Process(true, false, dead.vmas(), dead.ptes()) : dead);
        }
        return new MmState(ps.build(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of());
    }

    public int pageCount() {
        return processes.get(0).ptes().size();
    }

    public Process process(Pid p) {
        return processes.get(p.index());
    }

    public Folio folio(FolioId f) {
        if (f.isZero()) throw new IllegalArgumentException("the zeropage has no tracked folio state");
        return folios.get(f.index());
    }

    public SwapSlotState slot(SwapSlot s) {
        return swap.get(s.index());
    }

    public int aliveMask() {
        int m = 0;
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).alive()) m |= 1 << i;
        }
        return m;
    }

    /**
     * The folio a process would see at an address: the one its present PTE maps, or the swapcache
     * folio its swap PTE would fault back in. Null if nothing would be found without allocating.
     */
    public FolioId folioAt(Pid p, Vaddr a) {
        Pte pte = process(p).pte(a);
        if (pte instanceof Pte.Present pr) return pr.folio();
        if (pte instanceof Pte.Swap sw) {
            int c = slot(sw.slot()).cache();
            return c >= 0 ? new FolioId(c) : null;
        }
        return null;
    }

    /** What a read by {@code p} at {@code a} would return, or null if the page is not mapped or not populated. */
    public Data dataAt(Pid p, Vaddr a) {
        Pte pte = process(p).pte(a);
        if (pte instanceof Pte.Present pr) return dataOf(pr.folio());
        if (pte instanceof Pte.Swap sw) {
            SwapSlotState s = slot(sw.slot());
            return s.cache() >= 0 ? folios.get(s.cache()).data() : s.data();
        }
        return null;
    }

    public Data dataOf(FolioId f) {
        return f.isZero() ? Data.INITIAL : folio(f).data();
    }

    /**
     * Writes the canonical encoding of this state: equal encodings iff equal states. Every field is
     * written in a fixed order with fixed widths; list lengths are written before their elements.
     */
    public void encode(IntConsumer out) {
        out.accept(processes.size());
        out.accept(pageCount());
        for (Process p : processes) {
            out.accept((p.alive() ? 1 : 0) | (p.hasPinned() ? 2 : 0));
            for (Vma v : p.vmas()) {
                out.accept(v.kind().ordinal() | (v.write() ? 8 : 0) | (v.dontCopy() ? 16 : 0) | (v.mergeable() ? 32 : 0)
                        | (v.softDirtyTracking() ? 64 : 0) | (v.anonVma() ? 128 : 0));
            }
            for (Pte pte : p.ptes()) {
                switch (pte) {
                    case Pte.None n -> out.accept(0);
                    case Pte.Present pr -> {
                        out.accept(1 | (pr.write() ? 4 : 0) | (pr.dirty() ? 8 : 0) | (pr.softDirty() ? 16 : 0)
                                | (pr.special() ? 32 : 0));
                        out.accept(pr.folio().index());
                    }
                    case Pte.Swap sw -> {
                        out.accept(2 | (sw.exclusive() ? 4 : 0) | (sw.softDirty() ? 16 : 0));
                        out.accept(sw.slot().index());
                    }
                }
            }
        }
        out.accept(folios.size());
        for (Folio f : folios) {
            out.accept(f.kind().ordinal() | (f.flags() << 4));
            if (f.isFree()) continue;
            out.accept(f.refcount());
            out.accept(f.mapcount());
            out.accept(f.data().encode());
            out.accept(f.swapSlot());
            out.accept(f.fileIndex());
        }
        out.accept(swap.size());
        for (SwapSlotState s : swap) {
            out.accept(s.swapCount());
            if (s.isFree()) continue;
            out.accept(s.data().encode());
            out.accept(s.cache());
        }
        out.accept(refs.size());
        for (GupRef r : refs) {
            out.accept(r.owner().index() | (r.addr().index() << 4) | (r.flags() << 8) | (r.detached() ? 1 << 16 : 0));
            out.accept(r.folio().index());
            out.accept(r.label());
        }
    }
}
