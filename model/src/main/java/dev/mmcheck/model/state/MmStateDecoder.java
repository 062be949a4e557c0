package dev.mmcheck.model.state;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Arrays;

/**
 * Reads back what {@link MmState#encode(java.util.function.IntConsumer, java.util.function.IntConsumer)} wrote: the
 * detail first (found from the end: its last word is its length), for the slot each canonical folio and swap-slot
 * number stands for, then the encoding, field by field in the order it was written. The layouts of VMAs, PTEs, PMDs
 * and reference keys are read with the {@link StateWords} method beside the one that wrote them; a record that
 * encodes itself in one word reads it back itself ({@code decoded}); the process flags word is read here as
 * {@link MmState#encode} writes it. The round-trip test holds the two sides together over every bundled spec.
 */
final class MmStateDecoder {
    private static final FolioKind[] FOLIO_KINDS = FolioKind.values();
    private static final Folio.Part[] PARTS = Folio.Part.values();

    private final int[] w;
    private int at;
    /** Where the encoding ends and the detail begins. */
    private final int end;
    /** The slot of each canonical folio number, and of each canonical swap-slot number. */
    private final int[] folioSlot;
    private final int[] swapSlot;
    private final int folioCount;
    private final int swapCount;
    /** Stale data of the free swap slots, in slot order. */
    private final int freeSlotData;
    /** Pages freed since a walk or a mirror read them: slot and left-out PTE bits, in the order the encoding met them. */
    private int freed;

    MmStateDecoder(int[] words, int from, int to) {
        this.w = words;
        this.at = from;
        int length = words[to - 1];
        this.end = to - 1 - length;
        if (length < 4 || end < from) throw new IllegalArgumentException("not an MM state's encoding and detail");
        int d = end;
        folioCount = w[d++];
        int n = w[d++];
        folioSlot = Arrays.copyOfRange(w, d, d + n);
        d += n;
        swapCount = w[d++];
        int m = w[d++];
        swapSlot = Arrays.copyOfRange(w, d, d + m);
        d += m;
        freeSlotData = d;
        d += swapCount - m;
        freed = d + 1;
    }

    private int next() {
        return w[at++];
    }

    private FolioId folio(int number) {
        return new FolioId(folioSlot[number]);
    }

    MmState state() {
        int procs = next();
        int pages = next();
        ImmutableList.Builder<Process> ps = ImmutableList.builderWithExpectedSize(procs);
        for (int i = 0; i < procs; i++) ps.add(process(pages));
        Folio[] folios = new Folio[folioCount];
        Arrays.fill(folios, Folio.FREE);
        int n = next();
        for (int c = 0; c < n; c++) folios[folioSlot[c]] = folio();
        SwapSlotState[] swap = new SwapSlotState[swapCount];
        int m = next();
        for (int c = 0; c < m; c++) {
            int count = next();
            Data data = Data.decoded(next());
            int cache = next();
            swap[swapSlot[c]] = new SwapSlotState(count, data, cache < 0 ? -1 : folioSlot[cache]);
        }
        int stale = freeSlotData;
        for (int i = 0; i < swapCount; i++) {
            if (swap[i] != null) continue;
            Data data = Data.decoded(w[stale++]);
            swap[i] = data.equals(Data.INITIAL) ? SwapSlotState.FREE : new SwapSlotState(0, data, -1);
        }
        int r = next();
        GupRef[] refs = new GupRef[r];
        for (int i = 0; i < r; i++) {
            int high = next();
            int low = next();
            int head = ((high & 0xffff) << 16) | (low >>> 16);
            int code = low & 0xffff;
            FolioId f = code == 0 ? FolioId.ZERO : code == 0xffff ? FolioId.HUGE_ZERO : folio(code - 1);
            refs[i] = StateWords.ref(head, f, high >>> 16);
        }
        Arrays.sort(refs);
        int zrc = next();
        int zmc = next();
        ZeropageCounts zeropage = zrc == 0 && zmc == 0 ? ZeropageCounts.NONE : new ZeropageCounts(zrc, zmc);
        ImmutableSortedMap<Integer, Data> written = ImmutableSortedMap.of();
        if (at < end) {
            int k = next();
            var b = ImmutableSortedMap.<Integer, Data>naturalOrder();
            for (int i = 0; i < k; i++) b.put(next(), Data.decoded(next()));
            written = b.build();
        }
        if (at != end) throw new IllegalArgumentException("an MM state's encoding ends at " + at + ", its detail begins at " + end);
        return new MmState(ps.build(), ImmutableList.copyOf(folios), ImmutableList.copyOf(swap), ImmutableList.copyOf(refs),
                zeropage, written);
    }

    private Process process(int pages) {
        int flags = next();
        UffdState uffd = UffdState.NONE;
        if ((flags & 16) != 0) {
            int u = next();
            uffd = new UffdState(u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24);
        }
        Process.Extras extras = Process.Extras.NONE;
        if ((flags & 0x3fe0) != 0) {
            GupLoop loop = (flags & 32) != 0 ? GupLoop.decoded(next()) : GupLoop.NONE;
            Userptr userptr = (flags & 64) != 0 ? Userptr.decoded(next()) : Userptr.NONE;
            FastWalk walk = (flags & 128) != 0 ? fastWalk() : FastWalk.NONE;
            ForkStep fork = (flags & 256) != 0 ? ForkStep.decoded(next()) : ForkStep.NONE;
            PairStep collapse = (flags & 512) != 0 ? new PairStep(new Vaddr(next())) : PairStep.NONE;
            UnmapStep unmap = (flags & 1024) != 0 ? UnmapStep.decoded(next()) : UnmapStep.NONE;
            ReuseStep reuse = (flags & 2048) != 0 ? ReuseStep.decoded(next()) : ReuseStep.NONE;
            PairStep split = (flags & 4096) != 0 ? new PairStep(new Vaddr(next())) : PairStep.NONE;
            HmmMirror hmm = (flags & 8192) != 0 ? hmm() : HmmMirror.NONE;
            extras = new Process.Extras(loop, userptr, walk, fork, collapse, unmap, reuse, split, hmm);
        }
        ImmutableList<Pmd> pmds = Process.noPmds(pages);
        if ((flags & 8) != 0) {
            Pmd[] ps = new Pmd[pmds.size()];
            for (int i = 0; i < ps.length; i++) ps[i] = pmd();
            pmds = ImmutableList.copyOf(ps);
        }
        Vma[] vmas = new Vma[pages];
        for (int i = 0; i < pages; i++) vmas[i] = StateWords.vma(next());
        Pte[] ptes = new Pte[pages];
        for (int i = 0; i < pages; i++) ptes[i] = pte(next());
        return new Process((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, ImmutableList.copyOf(vmas),
                ImmutableList.copyOf(ptes), pmds, uffd, extras);
    }

    private FastWalk fastWalk() {
        int v = next();
        boolean slow = (v & (1 << 28)) != 0;
        Pte seen = null;
        if (!slow) {
            int kind = next();
            if ((kind & 0x100) != 0) {
                next(); // -3: the page has been freed since; its slot and the bits left out are in the detail
                int slot = w[freed++];
                int bits = w[freed++];
                seen = StateWords.present((kind & 0x3f) | (bits & (64 | 128)), new FolioId(slot));
            } else {
                seen = pte(kind);
            }
        }
        return new FastWalk(new Vaddr(v & 15), (v >>> 4) & 0xfff, (v >>> 16) & 0xfff, seen, (v & (1 << 29)) != 0);
    }

    private HmmMirror hmm() {
        int v = next();
        FolioId seen = null;
        if ((v & 256) != 0) {
            int s = next();
            if (s == -3) {
                seen = new FolioId(w[freed]);
                freed += 2;
            } else {
                seen = s < 0 ? new FolioId(s + 10) : folio(s);
            }
        }
        return new HmmMirror(new Vaddr(v & 15), (v & 16) != 0, (v & 32) != 0, seen, (v & 64) != 0, (v & 128) != 0);
    }

    private Pmd pmd() {
        int v = next();
        return switch (StateWords.pmdKind(v)) {
            case StateWords.PMD_NONE -> Pmd.NONE;
            case 1 -> {
                int f = next();
                yield StateWords.hugePmd(v, f < 0 ? new FolioId(f) : folio(f));
            }
            case 2 -> StateWords.migrationPmd(v, folio(next()));
            default -> throw new IllegalArgumentException("not a PMD's encoding: " + v);
        };
    }

    private Pte pte(int v) {
        return switch (StateWords.pteKind(v)) {
            case StateWords.PTE_NONE -> Pte.NONE;
            case 1 -> {
                int f = next();
                yield StateWords.present(v, f == -1 ? FolioId.ZERO : folio(f));
            }
            case 2 -> StateWords.swap(v, new SwapSlot(swapSlot[next()]));
            case 3 -> StateWords.migration(v, folio(next()));
            case 4 -> StateWords.device(v, folio(next()));
            default -> Pte.UFFD_MARKER;
        };
    }

    private Folio folio() {
        int v = next();
        Folio.Part part = PARTS[v >>> 12];
        int pincount = 0;
        int entire = 0;
        if (part.head()) {
            pincount = next();
            entire = next();
        }
        int refcount = next();
        int mapcount = next();
        Data data = Data.decoded(next());
        int slot = next();
        int fileIndex = next();
        return new Folio(FOLIO_KINDS[v & 15], (v >>> 4) & 0xff, refcount, mapcount, data, slot < 0 ? -1 : swapSlot[slot], fileIndex,
                part, pincount, entire);
    }
}
